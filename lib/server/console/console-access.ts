/**
 * Who may open a console on which server, and why not: the owner, its reseller and
 * admins (whoever may see the server: another tenant's server is a 404 before this);
 * support only when the customer consented (`allowSupportConsole`) or an admin granted
 * that support user a console on this server for a while (ConsoleGrant). Only browser
 * sessions get consoles, never API tokens, and only a running, unsuspended server has one.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { getServerOrThrow, type ServerDetail } from "@/lib/server/vservers/get-server-or-throw";

/** Whether a console is possible, and the reason shown when it is not. */
export type ConsoleVerdict =
  | { ok: true }
  | { ok: false; why: "api" | "consent" | "suspended" | "state"; message: string };

const stateMessages: Record<string, string> = {
  PENDING: "The server has not been built yet.",
  BUILDING: "The server is being built; the console opens once it runs.",
  STOPPED: "The server is stopped. Start it to use the console.",
  STARTING: "The server is starting; try again in a moment.",
  STOPPING: "The server is stopping.",
  ERROR: "The server is in an error state; see the last error on the server page.",
  DELETING: "The server is being deleted.",
};

/** True when an admin's grant for this support user and server is in force at `now`. */
export async function hasActiveConsoleGrant(db: Db, serverId: string, userId: string, now = new Date()): Promise<boolean> {
  const n = await db.consoleGrant.count({ where: { vserverId: serverId, userId, revokedAt: null, expiresAt: { gt: now } } });
  return n > 0;
}

/** Decides for a server the actor can already see. */
export async function consoleVerdict(
  db: Db,
  actor: Pick<Actor, "userId" | "role" | "via">,
  server: Pick<ServerDetail, "id" | "state" | "suspended" | "suspendReason" | "owner">,
  now = new Date(),
): Promise<ConsoleVerdict> {
  if (actor.via !== "session") return { ok: false, why: "api", message: "Consoles are opened from a signed-in browser, not with an API token." };
  if (actor.role === "SUPPORT" && !server.owner.allowSupportConsole && !(await hasActiveConsoleGrant(db, server.id, actor.userId, now))) {
    return { ok: false, why: "consent", message: "The customer has not allowed support consoles on this server. An admin can open one for you for a limited time." };
  }
  if (server.suspended) return { ok: false, why: "suspended", message: `The server is suspended${server.suspendReason ? `: ${server.suspendReason}` : ""}. There is no console while it is suspended.` };
  if (server.state !== "RUNNING") return { ok: false, why: "state", message: stateMessages[server.state] ?? "The server is not running." };
  return { ok: true };
}

/** Loads the server (404 for one the actor may not see) and throws unless a console is possible. */
export async function consoleServerOrThrow(db: Db, actor: Actor, serverId: string, now = new Date()): Promise<ServerDetail> {
  const server = await getServerOrThrow(db, actor, serverId);
  const verdict = await consoleVerdict(db, actor, server, now);
  if (!verdict.ok) throw new AppError(verdict.why === "state" || verdict.why === "suspended" ? "CONFLICT" : "FORBIDDEN", verdict.message);
  return server;
}
