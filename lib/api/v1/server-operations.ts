/** REST operations on servers: create from a plan for a customer, read, power, suspend, terminate (changes: server-change-operations.ts). */
import { z } from "zod";
import { pageInput } from "@/lib/server/pagination";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { listServers } from "@/lib/server/vservers/list-servers";
import { provisionInput } from "@/lib/server/vservers/provision/provision-input";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { requestPower, type PowerAction } from "@/lib/server/vservers/request-power";
import { deferPowerUntilBack, deferrableActions } from "@/lib/server/vservers/defer-power-until-back";
import { defineOperation, type ApiOperation } from "./define";
import { idParams, pageOut } from "./schemas";

const date = z.date().transform((d) => d.toISOString());

/** A server as billing systems see it. */
export const serverOut = z.object({
  id: z.string(),
  name: z.string(),
  hostname: z.string(),
  /** The state its host last reported (or the one a job has it in). */
  state: z.string(),
  /** What was decided: RUNNING or STOPPED (a suspension holds it stopped). */
  desiredState: z.enum(["RUNNING", "STOPPED"]),
  /** When the host last reported the state; null: not since it was built. */
  observedAt: z.date().nullable().transform((d) => (d ? d.toISOString() : null)),
  /** Drift the reconciler could not correct, or null. */
  driftNote: z.string().nullable(),
  suspended: z.boolean(),
  /** In rescue mode until then (the rescue system runs); null: not in rescue. */
  rescueUntil: z.date().nullable().transform((d) => (d ? d.toISOString() : null)),
  contextId: z.number(),
  cpuMilli: z.number(),
  memoryMb: z.number(),
  diskMb: z.number(),
  host: z.object({ id: z.string(), name: z.string() }),
  owner: z.object({ id: z.string(), email: z.string() }),
  plan: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Each address with the prefix the server was given (32/128 for one address, 64 for a routed /64). */
  addresses: z.array(z.object({ id: z.string(), address: z.string(), prefix: z.number(), family: z.enum(["IPV4", "IPV6"]) })),
  createdAt: date,
});

const jobAccepted = z.object({ jobId: z.string() });

function powerOperation(action: PowerAction, summary: string, body?: z.ZodType): ApiOperation {
  return defineOperation({
    method: action === "terminate" ? "DELETE" : "POST",
    path: action === "terminate" ? "/servers/{id}" : `/servers/{id}/${action}`,
    operationId: `${action}Server`,
    summary,
    tag: "servers",
    params: idParams,
    body: body ?? z.object({}).strict(),
    status: 202,
    response: jobAccepted,
    handler: ({ db, actor, params, body: b }) => requestPower(db, actor, params.id, action, (b as { reason?: string } | undefined)?.reason),
  });
}

/** The server operations. */
export const serverOperations = [
  defineOperation({
    method: "GET",
    path: "/servers",
    operationId: "listServers",
    summary: "List servers (paged; `q` searches name, hostname, address and owner email).",
    tag: "servers",
    query: pageInput.extend({ ownerId: z.string().max(64).optional() }),
    status: 200,
    response: pageOut(serverOut),
    handler: ({ db, actor, query }) => listServers(db, actor, query),
  }),
  defineOperation({
    method: "POST",
    path: "/servers",
    operationId: "createServer",
    summary: "Create a server for a customer from a plan. Returns at once; follow the job for progress. A reseller's customer's server must fit the reseller's quota and, from the reseller's own plans, its per-server bounds (422 naming the field); concurrent creates cannot together exceed the quota.",
    tag: "servers",
    body: provisionInput,
    status: 202,
    response: z.object({ serverId: z.string(), jobId: z.string(), name: z.string() }),
    handler: async ({ db, actor, body }) => {
      const made = await createServer(db, actor, body);
      return { serverId: made.serverId, jobId: made.jobId, name: made.name };
    },
  }),
  defineOperation({
    method: "GET",
    path: "/servers/{id}",
    operationId: "getServer",
    summary: "Get a server.",
    tag: "servers",
    params: idParams,
    status: 200,
    response: serverOut,
    handler: ({ db, actor, params }) => getServerOrThrow(db, actor, params.id),
  }),
  powerOperation("start", "Start a server (not while suspended)."),
  powerOperation("stop", "Stop a server (its init is asked to shut down first)."),
  powerOperation("restart", "Restart a server."),
  powerOperation("suspend", "Suspend a server: it stops and its customer cannot start it.", z.object({ reason: z.string().max(500).optional() }).strict()),
  powerOperation("unsuspend", "Lift a suspension (the server stays stopped until started)."),
  powerOperation("terminate", "Terminate a server: it is deleted on its host and its addresses return to the pool."),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/when-host-back",
    operationId: "powerServerWhenHostBack",
    summary:
      "While the server's host is offline (the power operations answer 503 HOST_OFFLINE): record `start`, `stop`, `suspend` or `unsuspend` to be carried out when the host answers again. Only the decision is stored (no job waits); the reconciler brings the server there on the host's return. Refused (409) while the host is online.",
    tag: "servers",
    params: idParams,
    body: z.object({ action: z.enum(deferrableActions), reason: z.string().max(500).optional() }).strict(),
    status: 202,
    response: z.object({ deferred: z.literal(true), message: z.string() }),
    handler: ({ db, actor, params, body }) => deferPowerUntilBack(db, actor, params.id, body.action, body.reason),
  }),
];
