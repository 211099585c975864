/**
 * A user's own two-factor settings once it is on: the state shown on the account page,
 * turning it off and getting new recovery codes. Both changes need a current code (a
 * stolen session alone cannot weaken the account), and turning it off is refused while
 * an admin requires it.
 */
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/server/events/record-event";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { codeInput } from "./enrollment";
import { mustUseTwoFactor, twoFactorRoles } from "./policy";
import { replaceRecoveryCodes } from "./replace-recovery-codes";
import { verifySecondFactor } from "./verify-second-factor";

/** What the account page shows. */
export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  required: boolean;
  recoveryCodesLeft: number;
}

/** The actor's own two-factor state. */
export async function twoFactorStatus(db: Db, actor: Actor): Promise<TwoFactorStatus> {
  const [user, requiredRoles, left] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { role: true, totpEnabled: true, totpEnabledAt: true, twoFactorRequired: true } }),
    twoFactorRoles(db),
    db.recoveryCode.count({ where: { userId: actor.userId } }),
  ]);
  return { enabled: user.totpEnabled, enabledAt: user.totpEnabledAt, required: mustUseTwoFactor(user, requiredRoles), recoveryCodesLeft: left };
}

async function checkCode(db: Db, actor: Actor, raw: unknown, action: string) {
  if (actor.via !== "session") throw new AppError("FORBIDDEN", "two-factor login is managed by its user in the browser");
  const { code } = parseInput(codeInput, raw);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { id: true, role: true, totpSecret: true, totpEnabled: true, twoFactorRequired: true } });
  if (!user.totpEnabled) throw new AppError("CONFLICT", "two-factor login is not on");
  const result = await verifySecondFactor(db, user, code, actor.ip);
  if (result === "throttled") throw new AppError("RATE_LIMITED", "too many wrong codes; wait a few minutes", "code");
  if (result === "invalid") {
    await audit(db, actor, action, { type: "user", id: user.id }, { reason: "wrong code" }, false);
    throw new AppError("BAD_REQUEST", "code: this code is not right", "code");
  }
  return user;
}

/** Turns two-factor login off (a TOTP or recovery code is needed). */
export async function disableOwnTwoFactor(db: Db, actor: Actor, raw: unknown): Promise<void> {
  const current = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { role: true, twoFactorRequired: true } });
  if (mustUseTwoFactor(current, await twoFactorRoles(db))) throw new AppError("FORBIDDEN", "your administrator requires two-factor login for your account");
  const user = await checkCode(db, actor, raw, "user.2fa.disable");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { totpEnabled: false, totpEnabledAt: null, totpSecret: null, totpLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId: user.id } });
    await recordEvent(tx, { type: "user.two_factor_changed", userId: user.id, data: { change: "turned off" } });
  });
  await audit(db, actor, "user.2fa.disable", { type: "user", id: user.id });
}

/** Replaces the recovery codes (a current code is needed); returns the new ones once. */
export async function regenerateOwnRecoveryCodes(db: Db, actor: Actor, raw: unknown): Promise<{ recoveryCodes: string[] }> {
  const user = await checkCode(db, actor, raw, "user.2fa.recovery-codes");
  const recoveryCodes = await replaceRecoveryCodes(db, user.id);
  await audit(db, actor, "user.2fa.recovery-codes", { type: "user", id: user.id });
  return { recoveryCodes };
}
