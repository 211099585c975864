/** A server's backups, newest first, for whoever may see the server (support too: read-only). */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { backupView, type BackupView } from "./backup-view";
import { visibleBackupsWhere } from "./visible-backups-where";

/** The server's backups (404 when the actor may not see the server). */
export async function listServerBackups(db: Db, actor: Pick<Actor, "userId" | "role">, serverId: string): Promise<BackupView[]> {
  const server = await getServerOrThrow(db, actor, serverId);
  const rows = await db.backup.findMany({
    where: { AND: [{ vserverId: server.id }, { state: { not: "DELETING" } }, await visibleBackupsWhere(db, actor)] },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map(backupView);
}
