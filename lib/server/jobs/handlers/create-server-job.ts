/**
 * `server.create`: builds the server on its host through the agent's createVserver
 * operation and follows its progress into the job log. A resumed job (after a panel
 * restart) follows the operation it already started instead of starting another. When
 * the build fails, `undoCreate` removes whatever exists on the host and leaves the server
 * listed as failed, for a retry or a delete.
 */
import { AgentError } from "@/lib/agent-client";
import { panelSecret } from "@/lib/env";
import { open } from "@/lib/security/secret-box";
import { jobSecretPurpose } from "@/lib/server/vservers/provision/create-server";
import { toAgentLimits } from "@/lib/server/vservers/server-limits";
import type { JobContext } from "../job-context";
import { followOperation } from "./follow-operation";
import { retryOnTakenContext } from "./retry-on-taken-context";
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/server/events/record-event";
import { interfacesOf, loadJobServer, recordAgentState } from "./server-row";

/** Builds the server (on another context id when the host holds the panel's). */
export async function createServerJob(ctx: JobContext): Promise<Record<string, unknown>> {
  const agent = ctx.agent();
  return retryOnTakenContext(ctx, async (server) => {
    const earlier = await buildOnce(ctx, server);
    if (earlier) return earlier;
    const info = await agent.getVserver({ name: server.name });
    await ctx.db.$transaction(async (tx) => {
      await recordAgentState(tx as unknown as Db, server.id, info);
      await recordEvent(tx, { type: "server.created", vserverId: server.id, data: { name: server.name } });
    });
    await ctx.log(`${server.name} is ${info.state}`);
    return { name: server.name, state: info.state };
  });
}

/** Starts the build (or follows the one a resumed job started) until it ends; a result when an earlier attempt had built it already. */
async function buildOnce(ctx: JobContext, server: Awaited<ReturnType<typeof loadJobServer>>): Promise<Record<string, unknown> | null> {
  const agent = ctx.agent();
  let operationId = ctx.job.agentOperationId;
  if (!operationId) {
    await ctx.log(`building ${server.name} (${server.buildMethod}) on its host`);
    const sealed = typeof ctx.payload.sealedRootPassword === "string" ? ctx.payload.sealedRootPassword : undefined;
    try {
      const started = await agent.createVserver({
        name: server.name,
        context: server.contextId,
        hostname: server.hostname,
        domainname: "",
        method: server.buildMethod as "busybox",
        methodArgs: Array.isArray(ctx.payload.methodArgs) ? (ctx.payload.methodArgs as string[]) : [],
        limits: toAgentLimits(server),
        interfaces: interfacesOf(server.addresses),
        nameservers: [],
        startOnBoot: server.startOnBoot,
        rootPassword: sealed ? open(panelSecret(), jobSecretPurpose, sealed) : undefined,
        sshKeys: Array.isArray(ctx.payload.sshKeys) && ctx.payload.sshKeys.length ? (ctx.payload.sshKeys as string[]) : undefined,
        start: ctx.payload.start === true,
        userNamespace: server.userNamespace,
      });
      operationId = started.operationId;
      await ctx.setAgentOperation(operationId);
    } catch (error) {
      // A retry after a crash may find the server already built by the first attempt.
      if (!(error instanceof AgentError && error.code === "CONFLICT")) throw error;
      const existing = await agent.getVserver({ name: server.name }).catch(() => null);
      if (!existing || existing.context !== server.contextId) throw error;
      await ctx.log("the server exists on the host already (an earlier attempt built it)");
      await recordAgentState(ctx.db, server.id, existing);
      return { name: server.name };
    }
  }
  await followOperation(ctx, operationId);
  return null;
}

/**
 * Compensation of a failed build: nothing half-built stays on the host; the server stays
 * in the list as failed ("ERROR", with the job's error and log) with its addresses held,
 * so its people see what happened and choose: retry the build, or delete it (which
 * returns the addresses).
 */
export async function undoCreate(ctx: JobContext): Promise<void> {
  const server = await ctx.db.vServer.findUnique({ where: { id: ctx.job.vserverId ?? "" } });
  if (!server) return;
  try {
    const agent = ctx.agent();
    const info = await agent.getVserver({ name: server.name }).catch(() => null);
    if (info && info.context === server.contextId) {
      if (info.state === "running") await agent.stopVserver({ name: server.name, timeoutSec: 5 });
      await agent.deleteVserver({ name: server.name });
      await ctx.log(`removed the half-built ${server.name} from its host`);
    }
  } catch (error) {
    await ctx.log(`could not clean up on the host: ${(error as Error).message}`);
  }
  await ctx.db.vServer.update({ where: { id: server.id }, data: { state: "ERROR", stateChangedAt: new Date(), observedAt: null } });
  await ctx.log("the server stays listed as failed: retry the build or delete it");
}
