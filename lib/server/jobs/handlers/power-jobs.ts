/**
 * `server.start`, `server.stop`, `server.restart`, `server.suspend`, `server.unsuspend`
 * and `server.terminate`: one agent call each, with the server's state written back.
 */
import { AgentError } from "@/lib/agent-client";
import { releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import type { JobContext } from "../job-context";
import type { Db } from "@/lib/db/client";
import { recordEvent, type NewEvent } from "@/lib/server/events/record-event";
import { loadJobServer, recordAgentState } from "./server-row";

/** Writes what the host reports and the event saying so, in one transaction. */
async function recordStateAndEvent(ctx: JobContext, vserverId: string, info: Parameters<typeof recordAgentState>[2], event: NewEvent): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await recordAgentState(tx as unknown as Db, vserverId, info);
    await recordEvent(tx, { vserverId, ...event });
  });
}

async function setState(ctx: JobContext, state: "STARTING" | "STOPPING" | "DELETING"): Promise<void> {
  await ctx.db.vServer.update({ where: { id: ctx.job.vserverId! }, data: { state, stateChangedAt: new Date() } });
}

/** Says what the server is after the job, as its host reports it. */
function after(info: { state: string }, name: string, extra = ""): string {
  return `${name} is ${info.state}${extra} (as its host reports now)`;
}

/** Starts the server (refused while suspended); the host records "running". */
export async function startServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  await setState(ctx, "STARTING");
  const info = await ctx.agent().startVserver({ name: server.name });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.started" });
  await ctx.log(after(info, server.name));
  return { state: info.state };
}

/** Stops the server (the guest's init is asked first); the host records "stopped". */
export async function stopServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await setState(ctx, "STOPPING");
  const info = await ctx.agent().stopVserver({ name: server.name, timeoutSec: 30 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.stopped" });
  await ctx.log(after(info, server.name));
  return { state: info.state };
}

/** Restarts the server. */
export async function restartServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  await setState(ctx, "STARTING");
  const info = await ctx.agent().restartVserver({ name: server.name, timeoutSec: 30 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.restarted" });
  await ctx.log(after(info, server.name));
  return { state: info.state };
}

/**
 * Suspends: the host records the suspension (with its reason) before it stops the
 * server, so no agent restart or reboot starts it again, and refuses every start until
 * the suspension is lifted. The row was marked when the request was made.
 */
export async function suspendServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (!server.suspended) throw new Error("the suspension was lifted before it was carried out");
  await setState(ctx, "STOPPING");
  const info = await ctx.agent().setDesiredState({ name: server.name, state: "suspended", reason: server.suspendReason ?? undefined, timeoutSec: 30 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.suspended", data: { reason: server.suspendReason ?? "" } });
  await ctx.log(after(info, server.name, " and suspended"));
  return { state: info.state };
}

/** Lifts a suspension on the host too; the server stays stopped until someone starts it. */
export async function unsuspendServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server was suspended again before the suspension was lifted");
  const info = await ctx.agent().setDesiredState({ name: server.name, state: "stopped", timeoutSec: 30 });
  await recordStateAndEvent(ctx, server.id, info, { type: "server.unsuspended" });
  await ctx.log(after(info, server.name, "; it is no longer suspended"));
  return { state: info.state };
}

/** Terminates: stops and deletes the server on its host, returns its addresses, removes the row. */
export async function terminateServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await setState(ctx, "DELETING");
  const agent = ctx.agent();
  try {
    const info = await agent.getVserver({ name: server.name });
    if (info.state === "running") await agent.stopVserver({ name: server.name, timeoutSec: 30 });
    await agent.deleteVserver({ name: server.name });
    await ctx.log(`deleted ${server.name} on its host`);
  } catch (error) {
    if (!(error instanceof AgentError && error.code === "NOT_FOUND")) throw error;
    await ctx.log(`${server.name} did not exist on its host any more`);
  }
  await releaseAddresses(ctx.db, server.addresses.map((a) => a.id));
  await ctx.db.$transaction(async (tx) => {
    await tx.vServer.delete({ where: { id: server.id } });
    // The owner goes with the event: the row is gone when it is delivered.
    await recordEvent(tx, { type: "server.terminated", vserverId: server.id, userId: server.ownerId, data: { name: server.name } });
  });
  await ctx.log(`returned ${server.addresses.length} address(es) to the pool`);
  return { name: server.name };
}
