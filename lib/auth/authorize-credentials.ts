/**
 * Checks an e-mail/password pair: the attempt is counted first (lib/auth/throttle: a
 * locked e-mail or address refuses before anything is checked, so parallel guesses get
 * no more checks than the limit), then the password (the same KDF work whether or not
 * the user exists, so timing does not reveal accounts), then the account state, then —
 * for users with two-factor login on — the code (a TOTP code, accepted once, or a
 * recovery code, counted the same way). Every outcome is audited.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { dummyHash, verifyPassword } from "@/lib/security/password";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { recordLogin } from "@/lib/server/events/record-login";
import { verifySecondFactor } from "@/lib/server/two-factor/verify-second-factor";
import { beginAttempt, clearFailures, giveBack, throttleLimits } from "./throttle";
import type { RoleName } from "./roles";

/** The identity a successful login yields (goes into the session token). */
export interface LoginIdentity {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  sessionVersion: number;
}

/**
 * Why a login failed, as next-auth error codes shown by the login page. The two-factor
 * ones come only after the right password: the page then asks for the code.
 */
export type LoginFailure = "CredentialsSignin" | "Throttled" | "TwoFactorRequired" | "TwoFactorInvalid";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
  /** The second factor; an empty field counts as none. */
  code: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
});

/** Result of a login attempt. */
export type LoginResult = { ok: true; user: LoginIdentity } | { ok: false; reason: LoginFailure };

/** Verifies credentials; `ip` is the client address (or null). */
export async function authorizeCredentials(db: Db, raw: unknown, ip: string | null): Promise<LoginResult> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: "CredentialsSignin" };
  const { email, password } = parsed.data;
  const attempt = await beginAttempt(db, [{ key: `email:${email}`, limit: throttleLimits.email }, ...(ip ? [{ key: `ip:${ip}`, limit: throttleLimits.ip }] : [])]);
  if (!attempt) {
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "user.login", ip, success: false, details: { email, reason: "throttled" } });
    return { ok: false, reason: "Throttled" };
  }
  const user = await db.user.findUnique({ where: { email } });
  const valid = await verifyPassword(password, user?.passwordHash ?? dummyHash);
  if (!user || !valid || user.status !== "ACTIVE") {
    // The attempt stays counted: it was a failure.
    await recordAudit(db, {
      actor: user ? { type: "USER", id: user.id } : { type: "SYSTEM" },
      action: "user.login",
      ip,
      success: false,
      details: { email, reason: !user ? "unknown user" : !valid ? "wrong password" : "suspended" },
    });
    return { ok: false, reason: "CredentialsSignin" };
  }
  // The right password is no failure; the second factor counts its own attempts.
  await giveBack(db, attempt);
  if (user.totpEnabled) {
    const { code } = parsed.data;
    if (!code) return { ok: false, reason: "TwoFactorRequired" };
    const second = await verifySecondFactor(db, user, code, ip);
    if (second === "throttled" || second === "invalid") {
      await recordAudit(db, { actor: { type: "USER", id: user.id }, action: "user.login", ip, success: false, details: { email, reason: second === "throttled" ? "code throttled" : "wrong code" } });
      return { ok: false, reason: second === "throttled" ? "Throttled" : "TwoFactorInvalid" };
    }
    if (second === "recovery") await recordAudit(db, { actor: { type: "USER", id: user.id }, action: "user.2fa.recovery-used", ip, target: { type: "user", id: user.id } });
  }
  await clearFailures(db, `email:${email}`);
  await recordLogin(db, user.id, ip);
  await recordAudit(db, { actor: { type: "USER", id: user.id }, action: "user.login", ip, target: { type: "user", id: user.id } });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion } };
}
