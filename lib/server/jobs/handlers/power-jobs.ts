/**
 * `server.start`, `server.stop`, `server.restart` and `server.terminate`: one agent call
 * each, with the server's state written back (suspension: suspend-jobs.ts).
 */
import { AgentError } from "@/lib/agent-client";
import { releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import { clearReleasedReverseDns } from "@/lib/server/dns/clear-released-reverse-dns";
import type { JobContext } from "../job-context";
import { recordEvent, type NewEvent } from "@/lib/server/events/record-event";
import { loadJobServer } from "./server-row";
import { hostStateLine, recordStateAndEvent, setState } from "./job-server-state";

/**
 * The common end of a start, stop or restart: the row's rescue mark is cleared (a normal
 * start or a stop ends the rescue system; the host's next start ends its rescue record),
 * the host's state and the event are recorded, and the job logs what the host says.
 */
async function recordPowerResult(ctx: JobContext, server: { id: string; name: string }, info: Parameters<typeof recordStateAndEvent>[2], type: NewEvent["type"]) {
  await ctx.db.vServer.updateMany({ where: { id: server.id, rescueUntil: { not: null } }, data: { rescueUntil: null } });
  await recordStateAndEvent(ctx, server.id, info, { type });
  await ctx.log(hostStateLine(info, server.name));
  return { state: info.state };
}

/** Starts the server (refused while suspended); the host records "running". */
export async function startServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  await setState(ctx, "STARTING");
  // A start of a server in rescue mode is a normal start: it ends the rescue (the
  // host's start alone would answer "already running" for the rescue system).
  const info = server.rescueUntil ? (await ctx.agent().endRescue({ name: server.name, timeoutSec: 0 })).server : await ctx.agent().startVserver({ name: server.name });
  return recordPowerResult(ctx, server, info, "server.started");
}

/** Stops the server (the guest's init is asked first); the host records "stopped". */
export async function stopServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  await setState(ctx, "STOPPING");
  const info = await ctx.agent().stopVserver({ name: server.name, timeoutSec: 30 });
  return recordPowerResult(ctx, server, info, "server.stopped");
}

/** Restarts the server. */
export async function restartServerJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.suspended) throw new Error("the server is suspended");
  await setState(ctx, "STARTING");
  const info = await ctx.agent().restartVserver({ name: server.name, timeoutSec: 30 });
  return recordPowerResult(ctx, server, info, "server.restarted");
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
  const cleared = await clearReleasedReverseDns(ctx.db, server.addresses, server.id);
  if (cleared) await ctx.log(`removed ${cleared} reverse-DNS record(s) of its addresses`);
  await ctx.db.$transaction(async (tx) => {
    await tx.vServer.delete({ where: { id: server.id } });
    // The owner goes with the event: the row is gone when it is delivered.
    await recordEvent(tx, { type: "server.terminated", vserverId: server.id, userId: server.ownerId, data: { name: server.name } });
  });
  await ctx.log(`returned ${server.addresses.length} address(es) to the pool`);
  return { name: server.name };
}
