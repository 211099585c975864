/**
 * Backups of terminated servers (issue 14), for the people who can still bring such a
 * server back: admins see all, a reseller its customers'; support and customers get 404
 * (a customer asks its provider, as for any new server). Each row says when it will be
 * pruned (the server's termination plus the admin's grace period).
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { backupGraceDays } from "./backup-settings";
import { visibleBackupsWhere } from "./visible-backups-where";

/** One restorable backup of a server that no longer exists. */
export interface OrphanedBackupView {
  id: string;
  serverName: string;
  ownerEmail: string;
  hostName: string;
  planId: string | null;
  takenAt: string | null;
  totalBytes: number | null;
  /** When the grace period ends and the backup is pruned (null: not yet marked). */
  prunedAfter: string | null;
}

/** The actor's backups of terminated servers, newest first. */
export async function listOrphanedBackups(db: Db, actor: Pick<Actor, "userId" | "role">): Promise<OrphanedBackupView[]> {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw notFound();
  const [rows, graceDays] = await Promise.all([
    db.backup.findMany({
      where: { AND: [{ vserverId: null, state: "OK", snapshotId: { not: null } }, await visibleBackupsWhere(db, actor)] },
      orderBy: { takenAt: "desc" },
      take: 500,
    }),
    backupGraceDays(db),
  ]);
  const [owners, hosts] = await Promise.all([
    db.user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.ownerId))] } }, select: { id: true, email: true } }),
    db.host.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.hostId))] } }, select: { id: true, name: true } }),
  ]);
  const email = new Map(owners.map((o) => [o.id, o.email]));
  const host = new Map(hosts.map((h) => [h.id, h.name]));
  return rows.map((r) => ({
    id: r.id,
    serverName: r.serverName,
    ownerEmail: email.get(r.ownerId) ?? "(deleted user)",
    hostName: host.get(r.hostId) ?? "(removed host)",
    planId: r.planId,
    takenAt: r.takenAt?.toISOString() ?? null,
    totalBytes: r.totalBytes === null ? null : Number(r.totalBytes),
    prunedAfter: r.orphanedAt ? new Date(r.orphanedAt.getTime() + graceDays * 86_400_000).toISOString() : null,
  }));
}
