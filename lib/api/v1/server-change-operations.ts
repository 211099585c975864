/**
 * REST operations that change what a server has: another plan (previewed first, then
 * queued as a job; a stop and start the host needs is confirmed with `confirmRestart`),
 * a customer's plan-change requests and their decision, and addresses added or removed live.
 */
import { z } from "zod";
import { addAddressInput, addServerAddress } from "@/lib/server/vservers/add-server-address";
import { changePlan, previewPlanChange } from "@/lib/server/vservers/change-plan";
import { decidePlanChange, listPlanChangeRequests, planChangeDecisionInput, planChangeRequestInput, requestPlanChange } from "@/lib/server/vservers/plan-change-requests";
import { removeServerAddress } from "@/lib/server/vservers/remove-server-address";
import { migrateServerInput, requestMigration } from "@/lib/server/migration/request-migration";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

const limitsOut = z.object({ cpuMilli: z.number(), memoryMb: z.number(), swapMb: z.number(), diskMb: z.number(), pids: z.number(), netRateMbit: z.number() });

/** The operations. */
export const serverChangeOperations = [
  defineOperation({
    method: "POST",
    path: "/servers/{id}/migrate",
    operationId: "migrateServer",
    summary:
      "Admins: move the server to another host, offline (stopped, copied agent to agent over TLS under a one-time ticket, started there if it was running). Refused when either host is offline or the target lacks room. Addresses move with the server when their pool is linked to the target; otherwise the move is refused unless `newAddresses` is true: then each such address is replaced by a new one from the target's pools (the old one returns to its pool). Returns the job.",
    tag: "servers",
    params: idParams,
    body: migrateServerInput,
    status: 202,
    response: z.object({ jobId: z.string() }),
    handler: ({ db, actor, params, body }) => requestMigration(db, actor, params.id, body),
  }),
  defineOperation({
    method: "GET",
    path: "/servers/{id}/plan-change",
    operationId: "previewServerPlanChange",
    summary: "What moving the server to `planId` would do (limits before and after, addresses added, whether the host must stop and start it), without doing it.",
    tag: "servers",
    params: idParams,
    query: z.object({ planId: z.string().min(1).max(64) }),
    status: 200,
    response: z.object({
      planId: z.string(),
      planName: z.string(),
      before: limitsOut,
      after: limitsOut,
      addAddresses: z.object({ ipv4: z.number(), ipv6: z.number() }),
      disk: z.enum(["none", "live", "offline", "restart"]),
      restartNotice: z.string().nullable(),
      refusal: z.object({ field: z.string(), message: z.string() }).nullable(),
      direct: z.boolean(),
    }),
    handler: ({ db, actor, params, query }) => previewPlanChange(db, actor, params.id, query.planId),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/change-plan",
    operationId: "changeServerPlan",
    summary:
      "Move a server to another plan (up or down): CPU, memory, swap, processes and network rate change live; a disk change the host can make only with a stop and a start is refused unless `confirmRestart` is true. Returns the job.",
    tag: "servers",
    params: idParams,
    body: z.object({ planId: z.string().min(1).max(64), confirmRestart: z.boolean().default(false) }).strict(),
    status: 202,
    response: z.object({ jobId: z.string(), restart: z.boolean() }),
    handler: ({ db, actor, params, body }) => changePlan(db, actor, params.id, body),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/plan-change-requests",
    operationId: "requestServerPlanChange",
    summary: "Ask the server's provider to move it to a plan (one open request per server).",
    tag: "servers",
    params: idParams,
    body: planChangeRequestInput,
    status: 201,
    response: z.object({ id: z.string(), state: z.string(), toPlanId: z.string() }),
    handler: ({ db, actor, params, body }) => requestPlanChange(db, actor, params.id, body),
  }),
  defineOperation({
    method: "GET",
    path: "/plan-change-requests",
    operationId: "listPlanChangeRequests",
    summary: "Plan-change requests of the servers the caller may see (pending ones unless `state` says otherwise).",
    tag: "servers",
    query: z.object({ state: z.enum(["PENDING", "APPROVED", "REJECTED", "CANCELLED"]).default("PENDING") }),
    status: 200,
    response: z.object({
      items: z.array(z.object({ id: z.string(), state: z.string(), note: z.string(), answer: z.string(), vserver: z.object({ id: z.string(), name: z.string() }), toPlan: z.object({ id: z.string(), name: z.string() }), createdAt: z.date().transform((d) => d.toISOString()) })),
    }),
    handler: async ({ db, actor, query }) => ({ items: await listPlanChangeRequests(db, actor, { state: query.state }) }),
  }),
  defineOperation({
    method: "POST",
    path: "/plan-change-requests/{id}/decision",
    operationId: "decidePlanChangeRequest",
    summary: "Approve (the plan change is queued as a job) or reject a customer's request, with an answer.",
    tag: "servers",
    params: idParams,
    body: planChangeDecisionInput,
    status: 200,
    response: z.object({ state: z.enum(["APPROVED", "REJECTED"]), jobId: z.string().optional() }),
    handler: ({ db, actor, params, body }) => decidePlanChange(db, actor, params.id, body),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/addresses",
    operationId: "addServerAddress",
    summary: "Give the server one more IPv4 address or IPv6 address/prefix from its host's pools, live, within the plan's maximum and the reseller's quota.",
    tag: "servers",
    params: idParams,
    body: addAddressInput,
    status: 201,
    response: z.object({ id: z.string(), address: z.string(), prefix: z.number(), family: z.enum(["IPV4", "IPV6"]), inside: z.object({ address: z.string(), prefix: z.number() }) }),
    handler: ({ db, actor, params, body }) => addServerAddress(db, actor, params.id, body),
  }),
  defineOperation({
    method: "DELETE",
    path: "/servers/{id}/addresses/{addressId}",
    operationId: "removeServerAddress",
    summary: "Take an address away from the server, live, and return it to its pool.",
    tag: "servers",
    params: z.object({ id: z.string().min(1).max(64), addressId: z.string().min(1).max(64) }),
    status: 200,
    response: z.object({ address: z.string() }),
    handler: ({ db, actor, params }) => removeServerAddress(db, actor, params.id, params.addressId),
  }),
];
