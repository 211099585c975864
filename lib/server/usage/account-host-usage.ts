/**
 * Once a minute per host (called by the reconciler, which holds the host's lease): adds
 * each server's new traffic (the agent's totals since the server was made there, minus
 * what was read last time) to its billing month; at 80 % and 100 % of the plan's monthly
 * transfer records an event, and past 100 % applies the plan's policy (throttle the
 * network rate, or suspend through the same job as a provider's suspension); restores a
 * throttled rate in the next billing month; and records "disk 90 % full" once until the
 * disk falls below 85 %. Transfer counts both directions; a plan's GB are 10^9 bytes.
 */
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { recordEvent } from "@/lib/server/events/record-event";
import { createJob } from "@/lib/server/jobs/create-job";
import { billingStartDay, periodStart } from "./billing-month";
import { throttleRateMbit } from "./throttle-rate";

const everyMs = Number(process.env.TRAFFIC_ACCOUNT_MS) > 0 ? Number(process.env.TRAFFIC_ACCOUNT_MS) : 60_000;
const lastRun = new Map<string, number>();

type Row = Awaited<ReturnType<typeof loadServers>>[number];

function loadServers(db: Db, hostId: string) {
  return db.vServer.findMany({ where: { hostId, state: { notIn: ["BUILDING", "DELETING", "PENDING"] } }, include: { plan: true, counterState: true } });
}

/** Applies the plan's over-quota policy once per month. */
async function applyPolicy(db: Db, agent: AgentClient, row: Row, start: Date): Promise<void> {
  const plan = row.plan!;
  const done = await db.trafficMonth.updateMany({ where: { vserverId: row.id, periodStart: start, policyDone: false }, data: { policyDone: true } });
  if (done.count !== 1) return;
  if (plan.overQuotaPolicy === "THROTTLE") {
    const mbit = throttleRateMbit(plan.overQuotaMbit, row.netRateMbit);
    await db.$transaction([
      db.vServer.update({ where: { id: row.id }, data: { netRateMbit: mbit } }),
      db.serverCounterState.update({ where: { vserverId: row.id }, data: { throttledFromMbit: row.netRateMbit } }),
    ]);
    // The reconciler would put the row's rate on the host anyway; this makes it at once.
    await agent.setLimits({ name: row.name, limits: { netRate: mbit * 1_000_000 } }).catch(() => undefined);
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "traffic.throttle", target: { type: "vserver", id: row.id }, details: { name: row.name, mbit } });
  } else if (plan.overQuotaPolicy === "SUSPEND" && !row.suspended) {
    const reason = "monthly traffic used up";
    await db.$transaction(async (tx) => {
      await tx.vServer.update({ where: { id: row.id }, data: { desiredState: "STOPPED", suspended: true, suspendReason: reason, desiredChangedAt: new Date() } });
      await createJob(tx, { type: "server.suspend", vserverId: row.id, hostId: row.hostId, createdById: null, payload: { reason } });
    });
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "vserver.suspend", target: { type: "vserver", id: row.id }, details: { name: row.name, reason } });
  }
}

async function countServer(db: Db, agent: AgentClient, row: Row, total: { rxBytes: number; txBytes: number }, start: Date): Promise<void> {
  const seen = row.counterState;
  const rx = BigInt(Math.floor(total.rxBytes));
  const tx = BigInt(Math.floor(total.txBytes));
  const fresh = !seen || seen.hostId !== row.hostId || rx < seen.seenRx || tx < seen.seenTx;
  // The agent's totals start with the server on that host: first seen, moved or reset, all of it is new.
  const dRx = fresh ? rx : rx - seen.seenRx;
  const dTx = fresh ? tx : tx - seen.seenTx;
  const month = await db.$transaction(async (t) => {
    await t.serverCounterState.upsert({ where: { vserverId: row.id }, create: { vserverId: row.id, hostId: row.hostId, seenRx: rx, seenTx: tx }, update: { hostId: row.hostId, seenRx: rx, seenTx: tx } });
    return t.trafficMonth.upsert({
      where: { vserverId_periodStart: { vserverId: row.id, periodStart: start } },
      create: { vserverId: row.id, periodStart: start, rxBytes: dRx, txBytes: dTx },
      update: { rxBytes: { increment: dRx }, txBytes: { increment: dTx } },
    });
  });
  // A new billing month gives a throttled server its rate back.
  if (seen?.throttledFromMbit != null && !month.policyDone && row.plan && row.netRateMbit === throttleRateMbit(row.plan.overQuotaMbit, seen.throttledFromMbit)) {
    await db.$transaction([
      db.vServer.update({ where: { id: row.id }, data: { netRateMbit: seen.throttledFromMbit } }),
      db.serverCounterState.update({ where: { vserverId: row.id }, data: { throttledFromMbit: null } }),
    ]);
    await agent.setLimits({ name: row.name, limits: { netRate: seen.throttledFromMbit ? seen.throttledFromMbit * 1_000_000 : null } }).catch(() => undefined);
  }
  const quota = row.plan?.trafficGb ? BigInt(row.plan.trafficGb) * 1_000_000_000n : 0n;
  if (quota === 0n) return;
  const used = month.rxBytes + month.txBytes;
  const percent = Number((used * 100n) / quota);
  for (const [level, field, type] of [[80, "warned80", "traffic.warning"], [100, "warned100", "traffic.exceeded"]] as const) {
    if (percent < level || month[field]) continue;
    await db.$transaction(async (t) => {
      const claimed = await t.trafficMonth.updateMany({ where: { vserverId: row.id, periodStart: start, [field]: false }, data: { [field]: true } });
      if (claimed.count === 1) await recordEvent(t, { type, vserverId: row.id, data: { percent, usedBytes: Number(used), quotaBytes: Number(quota) } });
    });
  }
  if (percent >= 100 && row.plan!.overQuotaPolicy !== "NONE") await applyPolicy(db, agent, row, start);
}

async function checkDisks(db: Db, agent: AgentClient, rows: Row[]): Promise<void> {
  const samples = await agent.getUsageSamples({});
  for (const s of samples.servers) {
    const row = rows.find((r) => r.name === s.name);
    const used = s.values.diskBytes;
    if (!row || used === null || used === undefined || row.diskMb <= 0) continue;
    const percent = Math.round((used / (row.diskMb * 1024 * 1024)) * 100);
    const full = row.counterState?.diskFull ?? false;
    if (percent >= 90 && !full) {
      await db.$transaction(async (t) => {
        await t.serverCounterState.upsert({ where: { vserverId: row.id }, create: { vserverId: row.id, hostId: row.hostId, diskFull: true }, update: { diskFull: true } });
        await recordEvent(t, { type: "server.disk_full", vserverId: row.id, data: { percent } });
      });
    } else if (percent < 85 && full) {
      await db.serverCounterState.update({ where: { vserverId: row.id }, data: { diskFull: false } });
    }
  }
}

/** Counts the host's traffic and checks its disks, at most once per interval; never throws. */
export async function accountHostUsage(db: Db, hostId: string, agent: AgentClient, now = Date.now()): Promise<void> {
  if (now - (lastRun.get(hostId) ?? 0) < everyMs) return;
  lastRun.set(hostId, now);
  try {
    const [totals, rows, day] = await Promise.all([agent.getTrafficTotals({}), loadServers(db, hostId), billingStartDay(db)]);
    const start = periodStart(new Date(now), day);
    for (const row of rows) {
      const total = totals.totals.find((t) => t.name === row.name);
      if (total) await countServer(db, agent, row, total, start);
    }
    await checkDisks(db, agent, await loadServers(db, hostId));
  } catch (error) {
    // A host without history (an older agent) answers UNSUPPORTED: nothing to count there.
    if ((error as { code?: string }).code !== "UNSUPPORTED") console.error(`usage accounting of host ${hostId} failed`, error);
  }
}
