/** What each host can do for backups, for the admin's Backups page (admins only). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { hostBackupAbilities, type HostBackupAbilities } from "./host-backup-abilities";

/** The abilities of the hosts `hostIds`, by host id. */
export async function backupAbilitiesOfHosts(db: Db, actor: Pick<Actor, "role">, hostIds: string[]): Promise<Map<string, HostBackupAbilities>> {
  if (actor.role !== "ADMIN") throw notFound();
  const rows = await db.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, name: true, capabilities: true } });
  return new Map(await Promise.all(rows.map(async (row) => [row.id, await hostBackupAbilities(db, row)] as const)));
}
