/**
 * A power decision for a server whose host is offline (issue 16, hosts that are down):
 * instead of being refused with "host offline", the person may choose to have it done
 * when the host is back. Only the decision is recorded — the server's desired state, as
 * every power request records it — with an audit entry; no job waits on the dead host.
 * When the host answers again, the reconciler brings the server to that state (the
 * desired-state rules, docs/desired-state.md). Restart and terminate are not deferred:
 * a restart has no lasting state to record, and a termination is not done blind.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { isKnownOffline, lastSeenAge } from "@/lib/server/hosts/host-offline";
import { getServerOrThrow } from "./get-server-or-throw";
import { checkPowerAllowed, decisionOf, type PowerAction } from "./request-power";

/** The actions that can wait for the host. */
export const deferrableActions = ["start", "stop", "suspend", "unsuspend"] as const;

/** One of {@link deferrableActions}. */
export type DeferrableAction = (typeof deferrableActions)[number];

/** Records the decision for when the host is back; returns what the person is told. */
export async function deferPowerUntilBack(db: Db, actor: Actor, serverId: string, action: PowerAction, reason?: string): Promise<{ deferred: true; message: string }> {
  const server = await getServerOrThrow(db, actor, serverId);
  checkPowerAllowed(actor, server, action);
  if (!(deferrableActions as readonly string[]).includes(action)) throw new AppError("BAD_REQUEST", `a ${action} cannot wait for the host; only ${deferrableActions.join(", ")} can`, "action");
  if (!isKnownOffline(server.host)) throw new AppError("CONFLICT", `host ${server.host.name} is online: ${action} the server now`);
  const decision = decisionOf(action, reason)!;
  await db.vServer.update({ where: { id: serverId }, data: { ...decision, desiredChangedAt: new Date() } });
  await audit(db, actor, `vserver.${action}`, { type: "vserver", id: serverId }, { name: server.name, deferred: "until the host is back", ...(reason ? { reason } : {}) });
  const state = decision.desiredState === "RUNNING" ? "running" : decision.desiredState === "STOPPED" ? "stopped" : "unsuspended";
  return { deferred: true, message: `host ${server.host.name} is offline (last answered ${lastSeenAge(server.host.lastSeenAt)}); ${server.name} will be ${state} when it is back` };
}
