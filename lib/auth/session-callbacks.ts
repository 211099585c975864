/**
 * next-auth's jwt and session callbacks for the panel: at login the token gets the
 * user, its session version and the login time; on every later request the token is
 * re-checked against the database (lib/auth/session-state), so revocation and expiry
 * take effect at once. A void token becomes `{revoked: true}`: no user in the session.
 */
import type { CallbacksOptions } from "next-auth";
import { db } from "@/lib/db/client";
import type { LoginIdentity } from "./authorize-credentials";
import { isRole } from "./roles";
import { liveSession } from "./session-state";

/** The jwt callback: stamps a login, then re-checks on every request. */
export const jwtCallback: CallbacksOptions["jwt"] = async ({ token, user }) => {
  if (user && "role" in user) {
    const identity = user as unknown as LoginIdentity;
    token.uid = identity.id;
    token.role = identity.role;
    token.sv = identity.sessionVersion;
    token.loginAt = Date.now();
  }
  if (typeof token.uid !== "string") return token;
  const live = await liveSession(db(), token);
  if (!live) return { revoked: true };
  token.role = live.role;
  token.twoFactor = live.twoFactor;
  return token;
};

/** The session callback: the user and its two-factor state, or nothing for a void token. */
export const sessionCallback: CallbacksOptions["session"] = async ({ session, token }) => {
  if (token.revoked || typeof token.uid !== "string" || !isRole(token.role)) {
    return { expires: session.expires };
  }
  session.user = { id: token.uid, email: token.email ?? "", name: token.name ?? "", role: token.role };
  session.twoFactor = token.twoFactor === "enroll" ? "enroll" : "ok";
  return session;
};
