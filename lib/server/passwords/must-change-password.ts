/** Whether a signed-in user is still held to choose its own password. */
import type { Db } from "@/lib/db/client";

/** True while the password of `userId` (the session's own user) was set by someone else. */
export async function mustChangePassword(db: Db, userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { mustChangePassword: true } });
  return user?.mustChangePassword ?? false;
}
