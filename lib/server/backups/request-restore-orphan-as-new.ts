/**
 * A terminated server back as a new server, from one of its backups kept for the grace
 * period (issue 14: "a mistaken termination can still be undone"). Admins for any, a
 * reseller for its customers'; anyone else, and a backup of a living server or one
 * without a snapshot, gets 404. The plan defaults to the one the server had then.
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import type { Provisioned } from "@/lib/server/vservers/provision/create-server";
import { newServerFromBackup, restoreAsNewInput } from "./new-server-from-backup";
import { visibleBackupsWhere } from "./visible-backups-where";

/** Queues the new server's restore from the terminated server's backup `backupId`. */
export async function requestRestoreOrphanAsNew(db: Db, actor: Actor, backupId: string, raw: unknown): Promise<Provisioned> {
  const parsed = parseInput(restoreAsNewInput, raw);
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw notFound("Backup not found");
  const backup = await db.backup.findFirst({ where: { AND: [{ id: backupId, vserverId: null, state: "OK", snapshotId: { not: null } }, await visibleBackupsWhere(db, actor)] } });
  if (!backup) throw notFound("Backup not found");
  // A terminated server's uid mode is not kept: the copy gets its own range (the safe default).
  return newServerFromBackup(db, actor, backup, { serverId: null, planId: backup.planId, buildMethod: backup.buildMethod, distribution: backup.distribution, userNamespace: true }, parsed);
}
