/**
 * One reconciliation of one host: asks its agent for every server (one `listVservers`),
 * records what the host says as each server's actual state (with the time it said it),
 * carries out the corrections that plan-corrections.ts plans, adopts decisions taken on
 * the host, and writes what it could not correct where people see it (the server's
 * drift note, the host's report of servers the panel does not know), and deletes the
 * copies a move could not delete on its source (remove-left-copies.ts). Each correction,
 * adoption and new report is an audit entry by the system.
 *
 * A server a job is working on is left alone (the job owns it until it ends), and every
 * write to a row is conditional on the decision the plan was made from, so a person's
 * click that lands meanwhile is never overwritten.
 */
import { AgentError, type AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import type { VserverInfo } from "@/lib/protocol/vservers";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { interfacesOf } from "@/lib/server/jobs/handlers/server-row";
import { rowLimits, toAgentLimits } from "@/lib/server/vservers/server-limits";
import { recordEvent } from "@/lib/server/events/record-event";
import { accountHostUsage } from "@/lib/server/usage/account-host-usage";
import { removeLeftCopies } from "@/lib/server/migration/remove-left-copies";
import { recordHostReachability, unexpectedStopEvent } from "./observed-events";
import { planCorrections, type Correction, type PanelServer } from "./plan-corrections";

/** What one pass did. */
export interface HostReconcileResult {
  reachable: boolean;
  error?: string;
  corrected: number;
  adopted: number;
  /** Servers with a drift note after this pass. */
  drifting: number;
  /** Servers on the host that the panel does not know. */
  unmanaged: string[];
}

const busyStates = new Set(["PENDING", "BUILDING", "DELETING"]);

type Row = Awaited<ReturnType<typeof loadRows>>[number];

function loadRows(db: Db, hostId: string) {
  return db.vServer.findMany({
    where: { hostId },
    include: { addresses: { include: { pool: true } }, jobs: { where: { state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } } },
  });
}

function panelOf(row: Row): PanelServer {
  return {
    name: row.name,
    desiredState: row.desiredState,
    desiredChangedAt: row.desiredChangedAt,
    suspended: row.suspended,
    suspendReason: row.suspendReason,
    limits: toAgentLimits(rowLimits(row)),
    interfaces: interfacesOf(row.addresses),
    restartPolicy: row.restartPolicy === "never" || row.restartPolicy === "on-failure" ? row.restartPolicy : null,
  };
}

function describe(c: Correction): string {
  switch (c.kind) {
    case "set-desired":
      return `set the host's desired state to ${c.state}${c.from ? ` (it said ${c.from})` : " (it had no record)"}`;
    case "adopt-desired":
      return `adopted "${c.state.toLowerCase()}", decided on the host by ${c.by}${c.at ? ` at ${c.at}` : ""}`;
    case "set-limits":
      return `set ${Object.keys(c.patch).join(", ")} back to the panel's values`;
    case "add-address":
      return `re-added ${c.address.address}/${c.address.prefix}`;
    case "remove-address":
      return `removed ${c.address.address}/${c.address.prefix}, which the panel never gave this server`;
    case "set-restart-policy":
      return `set the restart policy back to ${c.policy} (the host had ${c.from})`;
  }
}

/** Applies one correction on the host (or the row, for an adoption); true when something changed. */
async function apply(db: Db, agent: AgentClient, row: Row, c: Correction): Promise<boolean> {
  switch (c.kind) {
    case "set-desired":
      await agent.setDesiredState({ name: row.name, state: c.state, reason: c.reason, timeoutSec: 30 });
      return true;
    case "adopt-desired": {
      const at = c.at ? new Date(c.at) : new Date();
      const done = await db.vServer.updateMany({ where: { id: row.id, desiredChangedAt: row.desiredChangedAt, suspended: false }, data: { desiredState: c.state, desiredChangedAt: at } });
      // The row's decision is the adopted one now: later writes of this pass expect it.
      if (done.count === 1) Object.assign(row, { desiredState: c.state, desiredChangedAt: at });
      return done.count === 1;
    }
    case "set-limits":
      await agent.setLimits({ name: row.name, limits: c.patch });
      return true;
    case "add-address":
      await agent.addAddress({ name: row.name, address: c.address });
      return true;
    case "remove-address":
      await agent.removeAddress({ name: row.name, address: c.address });
      return true;
    case "set-restart-policy":
      await agent.setRestartPolicy({ name: row.name, policy: c.policy });
      return true;
  }
}

async function stillIdle(db: Db, row: Row): Promise<boolean> {
  const now = await db.vServer.findUnique({ where: { id: row.id }, select: { desiredState: true, suspended: true, desiredChangedAt: true, restartPolicy: true, updatedAt: true, jobs: { where: { state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true } } } });
  return !!now && now.jobs.length === 0 && now.suspended === row.suspended && now.desiredChangedAt.getTime() === row.desiredChangedAt.getTime() && now.restartPolicy === row.restartPolicy;
}

async function reconcileServer(db: Db, agent: AgentClient, row: Row, info: VserverInfo | undefined, result: HostReconcileResult): Promise<void> {
  const target = { type: "vserver", id: row.id };
  const reports: string[] = [];
  let observed = info;
  if (!info && row.state === "ERROR") return; // a failed build: its page says so already
  if (!info) {
    reports.push("missing on its host: the host has no server of this name");
  } else {
    const plan = planCorrections(panelOf(row), info);
    reports.push(...plan.reports);
    for (const c of plan.corrections) {
      if (!(await stillIdle(db, row))) return; // someone acted meanwhile: the next pass looks again
      try {
        if (!(await apply(db, agent, row, c))) continue;
        if (c.kind === "adopt-desired") result.adopted++;
        else result.corrected++;
        await recordAudit(db, { actor: { type: "SYSTEM" }, action: c.kind === "adopt-desired" ? "reconcile.adopt" : "reconcile.correct", target, details: { name: row.name, what: describe(c), correction: c } });
      } catch (error) {
        const why = error instanceof AgentError ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);
        reports.push(`could not ${describe(c).replace(/^(\w)/, (m) => m.toLowerCase())}: ${why}`);
      }
    }
    if (plan.corrections.length) observed = await agent.getVserver({ name: row.name }).catch(() => info);
  }
  const note = reports.length ? reports.join("; ") : null;
  if (note) result.drifting++;
  const data: Record<string, unknown> = { driftNote: note, ...(observed ? { observedAt: new Date(), userNamespace: observed.userNamespace } : {}) };
  if (observed) {
    const state = observed.state === "running" ? "RUNNING" : "STOPPED";
    if (state !== row.state) Object.assign(data, { state, stateChangedAt: new Date() });
    // The host ends a rescue by itself when its time is up (or a reboot inside ends it).
    data.rescueUntil = observed.rescueUntil ? new Date(observed.rescueUntil) : null;
  }
  const rescueEnded = row.rescueUntil !== null && Boolean(observed) && !observed?.rescueUntil;
  // Only where no decision changed meanwhile and no job started since (it owns the state now).
  const stopped = unexpectedStopEvent(row, observed);
  // Reported once: the next pass sees the exit older than the row's last change.
  if (stopped && !("stateChangedAt" in data)) Object.assign(data, { stateChangedAt: new Date() });
  await db.$transaction(async (tx) => {
    const done = await tx.vServer.updateMany({ where: { id: row.id, desiredChangedAt: row.desiredChangedAt, suspended: row.suspended, jobs: { none: { state: { in: ["QUEUED", "RUNNING"] } } } }, data });
    if (stopped && done.count === 1) await recordEvent(tx, stopped);
    if (rescueEnded && done.count === 1) await recordEvent(tx, { type: "server.rescue_ended", vserverId: row.id, data: { by: "host" } });
  });
  // A policy the panel has not decided yet is the host's: recorded (only while still undecided), so the page shows it.
  if (observed && row.restartPolicy === null) await db.vServer.updateMany({ where: { id: row.id, restartPolicy: null }, data: { restartPolicy: observed.restartPolicy } });
  if (note && note !== row.driftNote) {
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "reconcile.report", target, success: false, details: { name: row.name, drift: reports } });
  }
}

/** Reconciles one host now. Never throws for one server's problem. */
export async function reconcileHost(db: Db, hostId: string, timeoutMs = 10_000): Promise<HostReconcileResult> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  const result: HostReconcileResult = { reachable: false, corrected: 0, adopted: 0, drifting: 0, unmanaged: [] };
  const agent = agentForHost(host, timeoutMs);
  let infos: VserverInfo[];
  try {
    infos = (await agent.listVservers({})).vservers;
  } catch (error) {
    result.error = error instanceof AgentError ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);
    if (host.status !== "OFFLINE") await recordHostReachability(db, host, false);
    return result;
  }
  result.reachable = true;
  await recordHostReachability(db, host, true);
  const byName = new Map(infos.map((i) => [i.name, i]));
  const rows = await loadRows(db, hostId);
  const known = new Set(rows.map((r) => r.name));
  for (const row of rows) {
    if (busyStates.has(row.state) || row.jobs.length > 0) continue;
    await reconcileServer(db, agent, row, byName.get(row.name), result);
  }
  const unknown = infos.map((i) => i.name).filter((n) => !known.has(n));
  const removed = await removeLeftCopies(db, agent, hostId, infos, unknown);
  result.unmanaged = unknown.filter((n) => !removed.includes(n)).sort();
  await db.host.update({ where: { id: hostId }, data: { reconciledAt: new Date(), reconcileReport: JSON.stringify({ unmanaged: result.unmanaged }) } });
  // Traffic per billing month, quota events and policy, disk-full events (once a minute).
  await accountHostUsage(db, hostId, agent);
  return result;
}
