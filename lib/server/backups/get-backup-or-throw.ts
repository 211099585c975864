/**
 * Loads one backup of one server that the actor may see, by the panel's id or by its
 * snapshot id (full or the 8-hex short form); anything else — another server's, another
 * tenant's, a guess — is 404 and nothing is asked of a host.
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { visibleBackupsWhere } from "./visible-backups-where";

/** The backup with its target and the server it belongs to. */
export async function getBackupOrThrow(db: Db, actor: Pick<Actor, "userId" | "role">, serverId: string, idOrSnapshot: string) {
  const server = await getServerOrThrow(db, actor, serverId);
  const bySnapshot = /^[0-9a-f]{8}([0-9a-f]{56})?$/.test(idOrSnapshot);
  const ref = bySnapshot
    ? idOrSnapshot.length === 64
      ? { snapshotId: idOrSnapshot }
      : { snapshotId: { startsWith: idOrSnapshot } }
    : { id: idOrSnapshot };
  const matches = await db.backup.findMany({
    where: { AND: [ref, { vserverId: server.id, serverKey: server.id }, await visibleBackupsWhere(db, actor)] },
    include: { target: true },
    take: 2,
  });
  // An ambiguous short id names no backup rather than a random one of two.
  if (matches.length !== 1) throw notFound("Backup not found");
  return { backup: matches[0]!, server };
}

/** A backup with its server as returned by {@link getBackupOrThrow}. */
export type LoadedBackup = Awaited<ReturnType<typeof getBackupOrThrow>>;

/** The agent's reference to the backup's snapshot (refused while it has none). */
export function snapshotRefOf({ backup }: LoadedBackup): { target: string; name: string; owner: string; snapshot: string } {
  if (!backup.snapshotId || backup.state !== "OK") throw notFound("Backup not found");
  return { target: backup.target.key, name: backup.serverName, owner: backup.serverKey, snapshot: backup.snapshotId };
}
