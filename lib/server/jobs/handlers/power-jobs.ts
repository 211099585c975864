/**
 * `server.start`, `server.stop`, `server.restart`, `server.suspend`, `server.unsuspend`
 * and `server.terminate`: one agent call each, with the server's state written back.
 */
import { AgentError } from "@/lib/agent-client";
import { releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import type { JobContext } from "../job-context";
import { loadJobServer, recordAgentState } from "./server-row";

async function setState(ctx: JobContext, state: "STARTING" | "STOPPING" | "DELETING"): Promise<void> {
  await ctx.db.vServer.update({ where: { id: ctx.job.vserverId! }, data: { state, stateChangedAt: new Date() } });
}

/** Starts the server (refused while suspended). */
export async function startServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  await setState(ctx, "STARTING");
  const info = await ctx.agent().startVserver({ name: server.name });
  await recordAgentState(ctx.db, server.id, info);
  await ctx.log(`${server.name} is ${info.state}`);
  return { state: info.state };
}

/** Stops the server (the guest's init is asked first). */
export async function stopServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await setState(ctx, "STOPPING");
  const info = await ctx.agent().stopVserver({ name: server.name, timeoutSec: 30 });
  await recordAgentState(ctx.db, server.id, info);
  await ctx.log(`${server.name} is ${info.state}`);
  return { state: info.state };
}

/** Restarts the server. */
export async function restartServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  await setState(ctx, "STARTING");
  const info = await ctx.agent().restartVserver({ name: server.name, timeoutSec: 30 });
  await recordAgentState(ctx.db, server.id, info);
  await ctx.log(`${server.name} is ${info.state}`);
  return { state: info.state };
}

/** Suspends: stops the server and marks it so its customer cannot start it. */
export async function suspendServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await ctx.db.vServer.update({ where: { id: server.id }, data: { suspended: true, suspendReason: typeof ctx.payload.reason === "string" ? ctx.payload.reason : null } });
  const info = await ctx.agent().stopVserver({ name: server.name, timeoutSec: 30 });
  await recordAgentState(ctx.db, server.id, info);
  await ctx.log(`${server.name} is suspended and ${info.state}`);
  return { state: info.state };
}

/** Lifts a suspension (the server stays stopped until started). */
export async function unsuspendServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await ctx.db.vServer.update({ where: { id: server.id }, data: { suspended: false, suspendReason: null } });
  await ctx.log(`${server.name} is no longer suspended`);
  return {};
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
  await ctx.db.vServer.delete({ where: { id: server.id } });
  await ctx.log(`returned ${server.addresses.length} address(es) to the pool`);
  return { name: server.name };
}
