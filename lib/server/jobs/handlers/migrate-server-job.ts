/**
 * `server.migrate` (issue 16). Offline: stop on the source, issue a one-time transfer
 * ticket to both agents, let the target pull and build the server (its log lines, with
 * the bytes received, become the job's). Pre-copy (a running server, unless the admin
 * asked for offline): the target builds its copy from a whole round while the server
 * runs, rounds of what changed follow (precopy-rounds.ts), then the stop and a last
 * round. Then either way: switch the panel's row to the target in one transaction,
 * start it there if it is meant to run, then delete the source's copy.
 * Before the switch the source is the server's home: a failure (or a killed agent)
 * removes the target's copy and starts the server on the source again (undoMigrate),
 * and nothing is locked, so a retry is a new request. A job resumed after a panel
 * restart starts over when the switch had not happened and finishes when it had.
 */
import { formatBytes } from "@/lib/format";
import { AgentError, type AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";
import { checkMigrationTarget } from "@/lib/server/migration/check-migration-target";
import { switchServerHost } from "@/lib/server/migration/switch-server-host";
import { issueTransferTicket } from "@/lib/server/migration/transfer-ticket";
import { replacedAddressIds, returnNewAddresses, takeNewAddresses } from "@/lib/server/migration/move-addresses";
import { clearReleasedReverseDns } from "@/lib/server/dns/clear-released-reverse-dns";
import type { JobContext } from "../job-context";
import { mergeJobPayload } from "../merge-job-payload";
import { followOperation } from "./follow-operation";
import { precopyRounds, roundOfChanges, type RoundHosts } from "./precopy-rounds";
import { interfacesOf, loadJobServer, recordAgentState } from "./server-row";

const agentTimeoutMs = 90_000;

function targetHostIdOf(ctx: JobContext): string {
  const id = ctx.payload.targetHostId;
  if (typeof id !== "string" || !id) throw new Error("the job names no target host");
  return id;
}

async function hostAgent(db: Db, hostId: string): Promise<AgentClient> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  return agentForHost(host, agentTimeoutMs);
}

/**
 * Whether this job asked the target for a copy: it did once it recorded the target's
 * operation, or marked the request just before making it.
 */
function targetCopyAsked(ctx: JobContext): boolean {
  return Boolean(ctx.job.agentOperationId) || ctx.payload.targetCopyAsked === targetHostIdOf(ctx);
}

/** Whether the server is meant to run (then it runs again wherever it ends up). */
const meantToRun = (s: { desiredState: string; suspended: boolean }) => s.desiredState === "RUNNING" && !s.suspended;

/**
 * Removes the target's copy that this job asked for, unless the panel has it there (a
 * leftover of this move that failed or was interrupted). NOT_FOUND: nothing was made.
 */
async function removeTargetCopy(ctx: JobContext, target: AgentClient, targetHostId: string, name: string): Promise<void> {
  if (await ctx.db.vServer.count({ where: { hostId: targetHostId, name } })) return;
  try {
    const info = await target.getVserver({ name });
    if (info.state === "running") await target.stopVserver({ name, timeoutSec: 10 });
    await target.deleteVserver({ name });
    await ctx.log(`removed the partial copy of ${name} on the target host`);
  } catch (error) {
    if (error instanceof AgentError && error.code === "NOT_FOUND") return;
    throw error;
  }
}

/**
 * The server's downtime so far: from the stop on the source (recorded in the job's
 * payload when this job stopped a running server, kept over a panel restart) to now.
 */
async function downtimeMs(ctx: JobContext): Promise<number | null> {
  const { payload } = await ctx.db.job.findUniqueOrThrow({ where: { id: ctx.job.id }, select: { payload: true } });
  const stoppedAt = (JSON.parse(payload) as { stoppedAt?: unknown }).stoppedAt;
  return typeof stoppedAt === "number" ? Date.now() - stoppedAt : null;
}

/** After the switch: start on the target if meant to run (with the downtime logged and kept), then delete the source's copy. */
async function finishOnTarget(ctx: JobContext, vserverId: string, sourceHostId: string, targetHostId: string) {
  const server = await loadJobServer(ctx.db, vserverId);
  const target = await hostAgent(ctx.db, targetHostId);
  let downtime: number | null = null;
  if (meantToRun(server)) {
    const info = await target.startVserver({ name: server.name });
    downtime = info.state === "running" ? await downtimeMs(ctx) : null;
    await recordAgentState(ctx.db, server.id, info);
    await ctx.log(`${server.name} is ${info.state} on the target host${downtime === null ? "" : `; downtime ${(downtime / 1000).toFixed(1)} s (from its stop on the source to running here)`}`);
    if (downtime !== null) await mergeJobPayload(ctx.db, ctx.job.id, { downtimeMs: downtime });
  }
  await ctx.progress(95);
  const sourceCopyLeft = !(await removeSourceCopy(ctx, sourceHostId, server.name));
  return { hostId: targetHostId, sourceCopyLeft, ...(downtime === null ? {} : { downtimeMs: downtime }) };
}

/**
 * After the switch the source's copy is no longer the panel's (the target's was whole
 * before the switch): it is deleted. Returns false when it could not be (the source
 * unreachable): the job log says so and the job is marked, so the source's next
 * reconciliation deletes it.
 */
async function removeSourceCopy(ctx: JobContext, sourceHostId: string, name: string): Promise<boolean> {
  try {
    const source = await hostAgent(ctx.db, sourceHostId);
    await source.deleteVserver({ name });
    await ctx.log(`deleted the old copy of ${name} on the source host`);
  } catch (error) {
    if (error instanceof AgentError && error.code === "NOT_FOUND") return true;
    // Marked on the job: the source's next reconciliation deletes the copy (remove-left-copies.ts).
    await mergeJobPayload(ctx.db, ctx.job.id, { sourceCopyLeft: true });
    await ctx.log(`the old copy on the source host could not be deleted now (${(error as Error).message}); it is stopped, and deleted when the panel next reaches that host`);
    return false;
  }
  return true;
}

/**
 * Before the switch, a failed move withdraws the source's offers: the archive kept there
 * for a resumed stream goes now, not at the ticket's expiry. An unreachable source keeps
 * nothing past its restart (an agent clears its staged transfers when it starts).
 */
async function withdrawOffers(ctx: JobContext, sourceHostId: string, name: string): Promise<void> {
  try {
    await (await hostAgent(ctx.db, sourceHostId)).withdrawTransfers({ name });
  } catch (error) {
    await ctx.log(`the source host's transfer offer could not be withdrawn now (${(error as Error).message}); its staged archive goes when the ticket expires`);
  }
}

/** Runs the move. */
export async function migrateServerJob(ctx: JobContext) {
  const targetHostId = targetHostIdOf(ctx);
  const sourceHostId = ctx.job.hostId!;
  let server = await loadJobServer(ctx.db, ctx.job.vserverId);
  if (server.hostId === targetHostId) {
    await ctx.log("the switch to the target host was made before an interruption; finishing");
    return finishOnTarget(ctx, server.id, sourceHostId, targetHostId);
  }
  const moveJob = { id: ctx.job.id, payload: ctx.payload };
  const replaceIds = replacedAddressIds(moveJob);
  const { source, target: targetHost } = await checkMigrationTarget(ctx.db, server, targetHostId, { newAddresses: replaceIds.length > 0 });
  requireHostOnline(source);
  const sourceAgent = agentForHost(source, agentTimeoutMs);
  const target = agentForHost(targetHost, agentTimeoutMs);
  // A copy an earlier attempt of this job asked for is removed; any other server of that
  // name on the target is not the panel's to remove: the move is refused instead.
  if (targetCopyAsked(ctx)) await removeTargetCopy(ctx, target, targetHostId, server.name);
  if ((await target.listVservers({})).vservers.some((v) => v.name === server.name)) {
    throw new Error(`host ${targetHost.name} already has a server named ${server.name} that the panel does not know; remove it there first`);
  }

  // Pre-copy for a running server unless the admin asked for offline: a stopped one has
  // nothing to gain (its copy is one round either way).
  const precopy = server.state === "RUNNING" && ctx.payload.method !== "offline";
  await mergeJobPayload(ctx.db, ctx.job.id, { movedBy: precopy ? "precopy" : "offline" });
  await ctx.log(
    precopy
      ? `moving ${server.name} from ${source.name} to ${targetHost.name} (pre-copy: copied while it runs, stopped only for a last round of what changed)`
      : `moving ${server.name} from ${source.name} to ${targetHost.name} (offline: stop, copy, start)`,
  );
  // Addresses whose pool the target lacks get new ones there (the admin chose so).
  const fresh = await takeNewAddresses(ctx.db, moveJob, server, targetHost.id);
  const replaced = server.addresses.filter((a) => replaceIds.includes(a.id));
  if (fresh.length) await ctx.log(`new addresses on ${targetHost.name}: ${fresh.map((a) => a.address).join(", ")} (replacing ${replaced.map((a) => a.address).join(", ")})`);
  server = await loadJobServer(ctx.db, server.id);
  const receive = (limits: RoundHosts["server"]["limits"]): RoundHosts => ({
    source: sourceAgent,
    target,
    sourceHost: { id: source.id, endpoint: source.endpoint, tlsCertPem: source.tlsCaPem! },
    targetHostId: targetHost.id,
    server: {
      name: server.name,
      hostname: server.hostname,
      // What the source enforces now (the reconciler keeps it equal to the panel's row).
      limits,
      interfaces: interfacesOf(server.addresses.filter((a) => !replaceIds.includes(a.id))),
      startOnBoot: server.startOnBoot,
      userNamespace: server.userNamespace,
    },
  });
  // Marked before asking: a panel killed between the target's start of the build and
  // the record of its operation must still remove that copy when the job resumes or fails.
  const markAsked = async () => {
    ctx.payload.targetCopyAsked = targetHostId;
    await mergeJobPayload(ctx.db, ctx.job.id, { targetCopyAsked: targetHostId });
  };
  // The downtime runs from this stop of a running server; a job resumed after a panel
  // restart that finds the server already stopped keeps the earlier time (it was down
  // all along).
  const stop = async () => {
    if (server.state === "RUNNING") {
      ctx.payload.stoppedAt = Date.now();
      await mergeJobPayload(ctx.db, ctx.job.id, { stoppedAt: ctx.payload.stoppedAt });
    }
    await ctx.db.vServer.update({ where: { id: server.id }, data: { state: "STOPPING", stateChangedAt: new Date() } });
    const stopped = await sourceAgent.stopVserver({ name: server.name, timeoutSec: 30 });
    await recordAgentState(ctx.db, server.id, stopped);
    await ctx.log(`stopped on ${source.name}`);
    return stopped;
  };

  if (precopy) {
    const hosts = receive((await sourceAgent.getVserver({ name: server.name })).limits);
    await markAsked();
    await precopyRounds(ctx, hosts, (p) => ctx.progress(2 + Math.round(p * 0.8)));
    await stop();
    const started = Date.now();
    const bytes = await roundOfChanges(ctx, hosts, false, (p) => ctx.progress(83 + Math.round(p * 0.06)), 50);
    await ctx.log(`last round (stopped): ${formatBytes(bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } else {
    const stopped = await stop();
    await ctx.progress(5);
    const hosts = receive(stopped.limits);
    const ticket = issueTransferTicket(server.name, source.id, targetHost.id);
    await sourceAgent.offerTransfer({ name: server.name, ticket });
    await markAsked();
    const { operationId } = await target.receiveTransfer({ ticket, source: { endpoint: source.endpoint, tlsCertPem: source.tlsCaPem! }, server: hosts.server });
    await ctx.setAgentOperation(operationId); // from here on, a failure removes the target's copy
    await ctx.log(`${targetHost.name} pulls the server (transfer ticket valid until ${ticket.expiresAt})`);
    await followOperation({ ...ctx, agent: () => target, progress: (p) => ctx.progress(5 + Math.round(p * 0.85)) }, operationId);
  }
  const built = await target.getVserver({ name: server.name });

  if (!(await switchServerHost(ctx.db, { vserverId: server.id, sourceHostId: source.id, targetHostId: targetHost.id, contextId: built.context, sourceContextId: server.contextId, jobId: ctx.job.id, releaseAddressIds: replaceIds }))) {
    throw new Error("the server's row no longer pointed at the source host; nothing was switched");
  }
  if (replaced.length) {
    const cleared = await clearReleasedReverseDns(ctx.db, replaced, server.id);
    await ctx.log(`${replaced.map((a) => a.address).join(", ")} went back to ${replaced.length === 1 ? "its pool" : "their pools"}${cleared ? ` (and ${cleared} reverse-DNS record(s) removed)` : ""}`);
  }
  await ctx.log(`the panel now has ${server.name} on ${targetHost.name} (context ${built.context})`);
  await ctx.progress(90);
  return finishOnTarget(ctx, server.id, source.id, targetHost.id);
}

/**
 * After a failure: before the switch, the target's copy is removed and the server runs
 * again on the source if it is meant to; after the switch, it is started on the target
 * and the source's copy is deleted. A host that cannot be reached is reported in the
 * job log (an agent that restarts removes a half-built copy by itself).
 */
export async function undoMigrate(ctx: JobContext): Promise<void> {
  const targetHostId = targetHostIdOf(ctx);
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const home = server.hostId;
  if (home !== targetHostId) await returnNewAddresses(ctx.db, { id: ctx.job.id, payload: ctx.payload }, server.id);
  if (home !== targetHostId && targetCopyAsked(ctx)) {
    try {
      await removeTargetCopy(ctx, await hostAgent(ctx.db, targetHostId), targetHostId, server.name);
    } catch (error) {
      // Marked on the job: the target's next reconciliation deletes a copy it finished (remove-left-copies.ts).
      await mergeJobPayload(ctx.db, ctx.job.id, { targetCopyLeft: targetHostId });
      await ctx.log(`the target host's copy could not be removed now (${(error as Error).message}); its agent removes an unfinished build when it starts, and the panel a finished one when it next reaches that host`);
    }
  }
  // After the switch, the source's copy goes even when the start on the target failed.
  if (home === targetHostId) await removeSourceCopy(ctx, ctx.job.hostId!, server.name);
  else await withdrawOffers(ctx, home, server.name);
  if (!meantToRun(server)) return;
  const info = await (await hostAgent(ctx.db, home)).startVserver({ name: server.name });
  await recordAgentState(ctx.db, server.id, info);
  await ctx.log(`${server.name} is ${info.state} on ${home === targetHostId ? "the target" : "the source"} host`);
}
