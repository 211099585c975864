/**
 * One-time links to set a password: a reset the user asked for by e-mail (valid 30
 * minutes) or a welcome for a new account (valid 7 days). Only the token's SHA-256 is
 * stored; redeeming is one conditional update (the first wins, a second use finds it
 * used), and it ends every session of the user like any password change.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/security/password";
import { recordEvent } from "@/lib/server/events/record-event";
import { parseInput } from "@/lib/server/parse-input";
import { passwordField } from "@/lib/server/users/user-schemas";

/** What a link is for, and how long it holds. */
export const linkLifetimeMs = { RESET: 30 * 60_000, WELCOME: 7 * 86400_000 } as const;

const digest = (token: string) => crypto.createHash("sha256").update(token).digest("hex");

/** Makes a link token for the user (earlier unused ones of the same purpose stop working). */
export async function issuePasswordToken(db: Db, userId: string, purpose: keyof typeof linkLifetimeMs): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await db.$transaction([
    db.passwordToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: new Date() } }),
    db.passwordToken.create({ data: { userId, purpose, tokenHash: digest(token), expiresAt: new Date(Date.now() + linkLifetimeMs[purpose]) } }),
  ]);
  return token;
}

/** Whether a token can still be used (for the page to say so before the form). */
export async function passwordTokenUsable(db: Db, token: string): Promise<boolean> {
  const row = await db.passwordToken.findUnique({ where: { tokenHash: digest(token.slice(0, 200)) } });
  return !!row && !row.usedAt && row.expiresAt > new Date();
}

/** Sets the password through the link; refuses a used, expired or unknown one alike. */
export async function redeemPasswordToken(db: Db, token: string, newPassword: unknown): Promise<{ email: string }> {
  const password = parseInput(passwordField, newPassword);
  const passwordHash = await hashPassword(password);
  const gone = new AppError("BAD_REQUEST", "this link is not valid any more: ask for a new one", "token");
  const row = await db.passwordToken.findUnique({ where: { tokenHash: digest(String(token).slice(0, 200)) }, include: { user: { select: { email: true, status: true } } } });
  if (!row || row.user.status !== "ACTIVE") throw gone;
  return db.$transaction(async (tx) => {
    const used = await tx.passwordToken.updateMany({ where: { id: row.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { usedAt: new Date() } });
    if (used.count !== 1) throw gone;
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } } });
    await recordEvent(tx, { type: "user.password_changed", userId: row.userId, data: { by: row.purpose === "RESET" ? "reset link" : "welcome link" } });
    return { email: row.user.email };
  });
}
