/**
 * Whether a session token still stands, checked against the database on every request
 * (one lookup by primary key plus the 2FA role setting): the user exists and is active,
 * its session version is the token's (a password change, a suspension, "sign out
 * everywhere" or a 2FA reset raise it), and the session is younger than its absolute
 * lifetime. It also says whether the user must first enroll in two-factor login.
 */
import type { Db } from "@/lib/db/client";
import { mustUseTwoFactor, twoFactorRoles } from "@/lib/server/two-factor/policy";
import type { RoleName } from "./roles";

/** A session lives at most this long after the login, however active (idle limit: options.ts). */
export const sessionLifetimeSeconds = 24 * 60 * 60;

/** "ok": full access; "enroll": the user must set up two-factor login before anything else. */
export type TwoFactorState = "ok" | "enroll";

/** The facts of a valid session, fresh from the database. */
export interface LiveSession {
  role: RoleName;
  twoFactor: TwoFactorState;
}

/** The claims of a session token this check reads. */
export interface SessionClaims {
  uid?: unknown;
  sv?: unknown;
  loginAt?: unknown;
}

const userColumns = { id: true, status: true, sessionVersion: true, role: true, totpEnabled: true, twoFactorRequired: true } as const;

type UserFacts = { id: string; status: string; sessionVersion: number; role: RoleName; totpEnabled: boolean; twoFactorRequired: boolean };

function wellFormed(claims: SessionClaims, now: number): claims is { uid: string; sv: number; loginAt: number } {
  if (typeof claims.uid !== "string" || typeof claims.sv !== "number" || typeof claims.loginAt !== "number") return false;
  return now - claims.loginAt <= sessionLifetimeSeconds * 1000 && claims.loginAt <= now + 60_000;
}

function judge(claims: { sv: number }, user: UserFacts | undefined | null, requiredRoles: RoleName[]): LiveSession | null {
  if (!user || user.status !== "ACTIVE" || user.sessionVersion !== claims.sv) return null;
  return { role: user.role, twoFactor: mustUseTwoFactor(user, requiredRoles) && !user.totpEnabled ? "enroll" : "ok" };
}

/** Re-checks a token; null means the session is void. */
export async function liveSession(db: Db, claims: SessionClaims, now = Date.now()): Promise<LiveSession | null> {
  if (!wellFormed(claims, now)) return null;
  const [user, requiredRoles] = await Promise.all([db.user.findUnique({ where: { id: claims.uid }, select: userColumns }), twoFactorRoles(db)]);
  return judge(claims, user, requiredRoles);
}

/** Re-checks many tokens with two queries (live sockets); same rules as {@link liveSession}. */
export async function liveSessions(db: Db, claims: SessionClaims[], now = Date.now()): Promise<(LiveSession | null)[]> {
  const ids = [...new Set(claims.filter((c) => wellFormed(c, now)).map((c) => c.uid as string))];
  const [users, requiredRoles] = await Promise.all([ids.length ? db.user.findMany({ where: { id: { in: ids } }, select: userColumns }) : [], twoFactorRoles(db)]);
  const byId = new Map(users.map((u) => [u.id, u]));
  return claims.map((c) => (wellFormed(c, now) ? judge(c, byId.get(c.uid), requiredRoles) : null));
}
