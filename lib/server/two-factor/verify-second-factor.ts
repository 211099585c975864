/**
 * Checks a second factor at login (or before a 2FA change): a TOTP code of the current
 * step ±1, accepted once — the step is claimed with a conditional update, so a replayed
 * code (also one raced in parallel) and any older code are refused — or a recovery code,
 * deleted as it is used. Each attempt is counted before it is checked, like a password
 * (per user and address, lib/auth/throttle), so a burst of guesses gets no more checks
 * than the limit; a locked user or address is refused unchecked.
 */
import type { Db } from "@/lib/db/client";
import { beginAttempt, clearFailures, giveBack, throttleLimits } from "@/lib/auth/throttle";
import { matchTotp } from "@/lib/security/totp";
import { hashRecoveryCode, looksLikeRecoveryCode } from "./recovery-codes";
import { openTotpSecret } from "./totp-secret";

/** The outcome: accepted (by which kind of code), wrong, or locked by throttling. */
export type SecondFactorResult = "totp" | "recovery" | "invalid" | "throttled";

/** The throttle key of a user's second factor. */
export function secondFactorKey(userId: string): string {
  return `totp:${userId}`;
}

/** Verifies `code` for the user (its sealed secret); `allowRecovery: false` accepts TOTP codes only. */
export async function verifySecondFactor(
  db: Db,
  user: { id: string; totpSecret: string | null },
  code: string,
  ip: string | null,
  options: { allowRecovery?: boolean; now?: number } = {},
): Promise<SecondFactorResult> {
  const key = secondFactorKey(user.id);
  const attempt = await beginAttempt(db, [{ key, limit: throttleLimits.email }, ...(ip ? [{ key: `ip:${ip}`, limit: throttleLimits.ip }] : [])]);
  if (!attempt) return "throttled";
  const typed = code.replace(/\s/g, "");
  if (user.totpSecret && /^\d{6}$/.test(typed)) {
    const step = matchTotp(openTotpSecret(user.totpSecret), typed, options.now ?? Date.now() / 1000);
    if (step !== null) {
      const claimed = await db.user.updateMany({
        where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
        data: { totpLastStep: step },
      });
      if (claimed.count === 1) {
        await giveBack(db, attempt);
        await clearFailures(db, key);
        return "totp";
      }
    }
  } else if ((options.allowRecovery ?? true) && looksLikeRecoveryCode(typed)) {
    const used = await db.recoveryCode.deleteMany({ where: { userId: user.id, codeHash: hashRecoveryCode(typed) } });
    if (used.count === 1) {
      await giveBack(db, attempt);
      await clearFailures(db, key);
      return "recovery";
    }
  }
  return "invalid"; // the attempt stays counted
}
