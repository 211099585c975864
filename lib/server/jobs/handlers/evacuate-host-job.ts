/**
 * `host.evacuate` (issue 16, drain): moves every server of a host in maintenance to the
 * other hosts, `parallel` at a time. Each move is an ordinary `server.migrate` job (its
 * own log, undo and never-half-moved rules; the server's job list shows it), tagged with
 * this job's id; this job chooses each target by the placement rules, starts the moves,
 * and logs how each ended. A server no host can take, or whose move failed, stays and
 * is named with the reason; the job fails when any server is left. Ending the host's
 * maintenance stops it after the moves under way. After a panel restart the job picks up
 * where the database says it is: moves it started are found by their tag.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { recordEvent } from "@/lib/server/events/record-event";
import { createJob } from "@/lib/server/jobs/create-job";
import { chooseMigrationTarget } from "@/lib/server/migration/choose-migration-target";
import { maxParallelMoves } from "@/lib/server/migration/request-host-evacuation";
import type { JobContext } from "../job-context";

/** How often the job looks at its moves. */
const pollMs = 1_000;
/** Servers in these states are not moved yet (the job waits for them to settle). */
const unsettled = new Set(["BUILDING", "PENDING", "DELETING"]);

/** The moves this job started, newest first: server, target and how each ended. */
async function movesOf(ctx: JobContext) {
  const tag = `"evacuationJobId":"${ctx.job.id}"`;
  return ctx.db.job.findMany({
    where: { type: "server.migrate", payload: { contains: tag } },
    select: { id: true, vserverId: true, state: true, error: true, payload: true, vserver: { select: { name: true } } },
    orderBy: { createdAt: "desc" },
  });
}

/** Runs the evacuation. */
export async function evacuateHostJob(ctx: JobContext) {
  const hostId = ctx.job.hostId;
  if (!hostId) throw new Error("the job names no host");
  const parallel = Math.min(maxParallelMoves, Math.max(1, Number(ctx.payload.parallel) || 2));
  const total = Math.max(1, Number(ctx.payload.servers) || 1);
  const host = await ctx.db.host.findUniqueOrThrow({ where: { id: hostId } });
  const newAddresses = ctx.payload.newAddresses === true;
  await ctx.log(
    `moving the servers of ${host.name} to other hosts, ${parallel} at a time (running servers by pre-copy: copied while they run, stopped only for a last round)${newAddresses ? "; a server whose addresses' pools no other host has gets new addresses there" : ""}`,
  );
  const reported = new Set<string>();
  const noTarget = new Map<string, string>();
  let stopped = false;
  for (;;) {
    const moves = await movesOf(ctx);
    for (const m of moves) {
      if (reported.has(m.id) || (m.state !== "SUCCEEDED" && m.state !== "FAILED")) continue;
      reported.add(m.id);
      await ctx.log(m.state === "SUCCEEDED" ? `${m.vserver?.name ?? m.vserverId} moved` : `${m.vserver?.name ?? m.vserverId} could not move: ${m.error ?? "failed"}`);
    }
    const failed = new Map(moves.filter((m) => m.state === "FAILED" && m.vserverId).map((m) => [m.vserverId!, m.error ?? "failed"]));
    const moving = moves.filter((m) => m.state === "QUEUED" || m.state === "RUNNING");
    const left = await ctx.db.vServer.findMany({ where: { hostId }, select: { id: true, name: true, state: true }, orderBy: { name: "asc" } });
    await ctx.progress(Math.min(99, Math.round((100 * Math.max(0, total - left.length)) / total)));
    const draining = (await ctx.db.host.findUniqueOrThrow({ where: { id: hostId }, select: { draining: true } })).draining;
    if (!draining && !stopped) {
      stopped = true;
      await ctx.log("maintenance of the host was ended: no further servers are moved");
    }
    // A server is retried by a new request, not by this job: a move that failed stays failed here.
    const waiting = stopped ? [] : left.filter((s) => !failed.has(s.id) && !noTarget.has(s.id) && !moving.some((m) => m.vserverId === s.id));
    if (!moving.length && !waiting.length) return finish(ctx, hostId, host.name, left, failed, noTarget, stopped);
    let started = moving.length;
    for (const s of waiting) {
      if (started >= parallel) break;
      if (unsettled.has(s.state)) continue;
      if (await ctx.db.job.count({ where: { vserverId: s.id, state: { in: ["QUEUED", "RUNNING"] } } })) continue; // its own job first
      const choice = await chooseMigrationTarget(ctx.db, s.id, { newAddresses });
      if ("reason" in choice) {
        noTarget.set(s.id, choice.reason);
        await ctx.log(`${s.name} stays: no host can take it (${choice.reason})`);
        continue;
      }
      const jobId = await createJob(ctx.db, {
        type: "server.migrate",
        vserverId: s.id,
        hostId,
        createdById: ctx.job.createdById,
        payload: { targetHostId: choice.hostId, method: "precopy", evacuationJobId: ctx.job.id, replaceAddressIds: choice.replaceAddressIds },
      });
      started++;
      await ctx.log(`moving ${s.name} to ${choice.hostName}${choice.replaceAddressIds.length ? ` with ${choice.replaceAddressIds.length} new address(es) from its pools` : ""} (job ${jobId})`);
    }
    await sleep(pollMs);
  }
}

/** Ends the job: done when the host is empty, else fails naming every server left and why. */
async function finish(ctx: JobContext, hostId: string, hostName: string, left: { id: string; name: string }[], failed: Map<string, string>, noTarget: Map<string, string>, stopped: boolean) {
  await ctx.progress(100);
  if (!left.length) {
    await recordEvent(ctx.db, { type: "host.evacuated", hostId, data: { host: hostName } });
    await ctx.log(`${hostName} has no servers left; it stays in maintenance until an admin ends it`);
    return { left: 0 };
  }
  const why = left.map((s) => `${s.name} (${failed.get(s.id) ?? noTarget.get(s.id) ?? (stopped ? "not moved: maintenance ended" : "not moved")})`);
  if (stopped) {
    await ctx.log(`stopped with ${left.length} server(s) left on ${hostName}: ${why.join(", ")}`);
    return { left: left.length, stopped: true };
  }
  await recordEvent(ctx.db, { type: "host.evacuation_incomplete", hostId, data: { host: hostName, left: why.join("; ") } });
  throw new Error(`${left.length} server(s) are still on ${hostName}: ${why.join("; ")}`);
}
