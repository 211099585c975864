/**
 * Start, stop, restart, suspend, unsuspend and terminate requests. Each records the
 * decision as the server's desired state and queues a job that brings its host there
 * (history, live progress, survives a panel restart). Owners may start/stop/restart;
 * a suspended server cannot be started by its customer; suspension and termination are
 * for admins and the customer's reseller; support never changes servers.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { getServerOrThrow } from "./get-server-or-throw";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** A power action. */
export type PowerAction = "start" | "stop" | "restart" | "suspend" | "unsuspend" | "terminate";

const providerOnly = new Set<PowerAction>(["suspend", "unsuspend", "terminate"]);

/** Throws why `actor` may not take `action` on `server` now (role, suspension, a build or deletion under way). */
export function checkPowerAllowed(actor: Actor, server: { suspended: boolean; suspendReason: string | null; state: string }, action: PowerAction): void {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  if (actor.role === "CUSTOMER" && providerOnly.has(action)) throw new AppError("FORBIDDEN", "ask your provider to do this");
  if (server.suspended && (action === "start" || action === "restart") && actor.role === "CUSTOMER") {
    throw new AppError("CONFLICT", `this server is suspended${server.suspendReason ? `: ${server.suspendReason}` : ""}; contact your provider`);
  }
  if (server.suspended && (action === "start" || action === "restart")) throw new AppError("CONFLICT", "unsuspend the server first");
  if (["BUILDING", "DELETING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
}

/** What an action decides about the server (null: nothing, as for terminate). */
export function decisionOf(action: PowerAction, reason?: string) {
  switch (action) {
    case "start":
    case "restart":
      return { desiredState: "RUNNING" as const };
    case "stop":
      return { desiredState: "STOPPED" as const };
    case "suspend":
      // Held stopped while suspended, and still stopped when the suspension is lifted.
      return { desiredState: "STOPPED" as const, suspended: true, suspendReason: reason?.trim() || null };
    case "unsuspend":
      return { suspended: false, suspendReason: null };
    case "terminate":
      return null;
  }
}

/** Records the action's decision and queues the job that carries it out; returns its id. */
export async function requestPower(db: Db, actor: Actor, serverId: string, action: PowerAction, reason?: string): Promise<{ jobId: string }> {
  const server = await getServerOrThrow(db, actor, serverId);
  checkPowerAllowed(actor, server, action);
  requireHostOnline(server.host);
  const pending = await db.job.count({ where: { vserverId: serverId, type: `server.${action}`, state: { in: ["QUEUED", "RUNNING"] } } });
  if (pending > 0) throw new AppError("CONFLICT", `a ${action} of this server is already under way`);
  // The decision is the panel's record at once (the job brings the host there, and the
  // reconciler keeps it there), in one transaction with the job that carries it out.
  const jobId = await db.$transaction(async (tx) => {
    const decision = decisionOf(action, reason);
    if (decision) await tx.vServer.update({ where: { id: serverId }, data: { ...decision, desiredChangedAt: new Date() } });
    return createJob(tx, { type: `server.${action}`, vserverId: serverId, hostId: server.host.id, createdById: actor.userId, payload: reason ? { reason } : {} });
  });
  await audit(db, actor, `vserver.${action}`, { type: "vserver", id: serverId }, { name: server.name, jobId, ...(reason ? { reason } : {}) });
  return { jobId };
}
