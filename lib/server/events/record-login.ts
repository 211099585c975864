/**
 * A successful login: the user's last-login time, the address it came from, and — when
 * that address was never seen for this user (and it is not the first login at all) — a
 * "login from a new address" event, all in one transaction.
 */
import type { Db } from "@/lib/db/client";
import { recordEvent } from "./record-event";

/** Records the login of `userId` from `ip`. */
export async function recordLogin(db: Db, userId: string, ip: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
    if (!ip) return;
    const known = await tx.loginAddress.findUnique({ where: { userId_ip: { userId, ip } } });
    if (known) {
      await tx.loginAddress.update({ where: { userId_ip: { userId, ip } }, data: { lastSeenAt: new Date() } });
      return;
    }
    const before = await tx.loginAddress.count({ where: { userId } });
    await tx.loginAddress.create({ data: { userId, ip } });
    if (before > 0) await recordEvent(tx, { type: "user.login_new_address", userId, data: { ip } });
  });
}
