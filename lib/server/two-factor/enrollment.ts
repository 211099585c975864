/**
 * Turning two-factor login on: a fresh secret is kept (sealed, not yet active) and shown
 * as a QR code and otpauth URI; a code from the app proves the app has it, which turns
 * it on and hands out recovery codes once. Works for a signed-in user and for one whose
 * session is held at enrollment because two-factor login is required of it.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/server/events/record-event";
import { AppError } from "@/lib/errors";
import { generateTotpSecret, otpauthUri } from "@/lib/security/totp";
import { qrMatrix, qrSvgPath } from "@/lib/security/totp-qr";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { replaceRecoveryCodes } from "./replace-recovery-codes";
import { sealTotpSecret } from "./totp-secret";
import { verifySecondFactor } from "./verify-second-factor";

/** The issuer name authenticator apps show next to the account. */
export const totpIssuer = "VServer Panel";

/** What the enrollment screen shows: the secret for typing, the URI, and a QR code of it. */
export interface EnrollmentStart {
  secret: string;
  uri: string;
  /** SVG path of the QR code in a square of `qrSize` units (quiet zone included). */
  qrPath: string;
  qrSize: number;
}

/** A code field as typed: six digits (spaces allowed). */
export const codeInput = z.object({ code: z.string().trim().min(1, "enter the code from your app").max(32) }).strict();

function browserOnly(actor: Actor): void {
  if (actor.via !== "session") throw new AppError("FORBIDDEN", "two-factor login is managed by its user in the browser");
}

/** Starts (or restarts) enrollment; refused when two-factor login is already on. */
export async function beginEnrollment(db: Db, actor: Actor): Promise<EnrollmentStart> {
  browserOnly(actor);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true, totpEnabled: true } });
  if (user.totpEnabled) throw new AppError("CONFLICT", "two-factor login is already on; turn it off first to use another app");
  const secret = generateTotpSecret();
  await db.user.update({ where: { id: actor.userId }, data: { totpSecret: sealTotpSecret(secret), totpLastStep: null } });
  const uri = otpauthUri(secret, user.email, totpIssuer);
  const matrix = qrMatrix(uri);
  return { secret, uri, qrPath: qrSvgPath(matrix), qrSize: matrix.length + 8 };
}

/** Confirms enrollment with a code from the app; returns the recovery codes (shown once). */
export async function confirmEnrollment(db: Db, actor: Actor, raw: unknown): Promise<{ recoveryCodes: string[] }> {
  browserOnly(actor);
  const { code } = parseInput(codeInput, raw);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { id: true, totpSecret: true, totpEnabled: true } });
  if (user.totpEnabled) throw new AppError("CONFLICT", "two-factor login is already on");
  if (!user.totpSecret) throw new AppError("CONFLICT", "start the set-up first");
  const result = await verifySecondFactor(db, user, code, actor.ip, { allowRecovery: false });
  if (result === "throttled") throw new AppError("RATE_LIMITED", "too many wrong codes; wait a few minutes", "code");
  if (result !== "totp") {
    await audit(db, actor, "user.2fa.enable", { type: "user", id: user.id }, { reason: "wrong code" }, false);
    throw new AppError("BAD_REQUEST", "code: this code is not right; check the time on your phone and try the next one", "code");
  }
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpEnabled: true, totpEnabledAt: new Date() } });
    await recordEvent(tx, { type: "user.two_factor_changed", userId: user.id, data: { change: "turned on" } });
  });
  const recoveryCodes = await replaceRecoveryCodes(db, user.id);
  await audit(db, actor, "user.2fa.enable", { type: "user", id: user.id });
  return { recoveryCodes };
}
