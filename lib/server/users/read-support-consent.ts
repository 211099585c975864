/** Whether an account lets support open consoles on its servers. */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";

/** The actor's own consent to support consoles. */
export async function readSupportConsent(db: Db, actor: Actor): Promise<boolean> {
  const row = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { allowSupportConsole: true } });
  return row.allowSupportConsole;
}
