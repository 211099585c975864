/**
 * The admin's overview of backup storage (issue 14): per host, what its agent says of
 * each target (repository size, free space, snapshots, last check, the problem when it
 * cannot be used) and the host's SSH public key that an SFTP server must authorize.
 * What a host says is kept on the target rows, so an unreachable host shows its last word.
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { BackupTargetInfo } from "@/lib/protocol/backups";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { recordTargetStatus, targetStatusOf } from "./target-status";

/** One target on one host. */
export interface HostTargetView {
  targetId: string | null;
  key: string;
  name: string;
  kind: string;
  forAllHosts: boolean;
  isDefault: boolean;
  info: BackupTargetInfo | null;
  problem: string | null;
  seenAt: string | null;
  backups: number;
}

/** One host's backup storage. */
export interface HostBackupsView {
  hostId: string;
  hostName: string;
  online: boolean;
  sshPublicKey: string | null;
  error: string | null;
  targets: HostTargetView[];
}

/** Reads every host's targets (admins only; others 404). */
export async function backupOverview(db: Db, actor: Pick<Actor, "role">): Promise<HostBackupsView[]> {
  if (actor.role !== "ADMIN") throw notFound();
  const hosts = await db.host.findMany({ orderBy: { name: "asc" } });
  return Promise.all(
    hosts.map(async (host): Promise<HostBackupsView> => {
      let listed: { targets: BackupTargetInfo[]; sshPublicKey: string } | null = null;
      let error: string | null = null;
      try {
        listed = await agentForHost(host, 15_000).listBackupTargets({});
      } catch (e) {
        error = (e as Error).message;
      }
      // The host's local target is known to the panel from its first listing on.
      if (listed?.targets.some((t) => t.id === "local")) {
        const local = listed.targets.find((t) => t.id === "local")!;
        const hasDefault = await db.backupTarget.count({ where: { OR: [{ hostId: host.id }, { hostId: null }], isDefault: true } });
        await db.backupTarget.upsert({
          where: { hostId_key: { hostId: host.id, key: "local" } },
          create: { hostId: host.id, key: "local", name: "Local disk", kind: "LOCAL", location: JSON.stringify(local.location), isDefault: hasDefault === 0 },
          update: {},
        });
      }
      const rows = await db.backupTarget.findMany({ where: { OR: [{ hostId: host.id }, { hostId: null }] }, orderBy: [{ isDefault: "desc" }, { name: "asc" }] });
      const counts = new Map((await db.backup.groupBy({ by: ["targetId"], where: { hostId: host.id }, _count: { _all: true } })).map((c) => [c.targetId, c._count._all]));
      const targets: HostTargetView[] = [];
      for (const row of rows) {
        const info = listed?.targets.find((t) => t.id === row.key) ?? null;
        if (listed) await recordTargetStatus(db, row.id, host.id, info, info ? null : "not configured on this host");
        const seen = listed ? { at: new Date().toISOString(), info, problem: info?.problem ?? (info ? null : "not configured on this host") } : targetStatusOf(row.status)[host.id];
        targets.push({
          targetId: row.id,
          key: row.key,
          name: row.name,
          kind: row.kind,
          forAllHosts: row.hostId === null,
          isDefault: row.isDefault,
          info: seen?.info ?? null,
          problem: seen?.problem ?? null,
          seenAt: seen?.at ?? null,
          backups: counts.get(row.id) ?? 0,
        });
      }
      return { hostId: host.id, hostName: host.name, online: listed !== null, sshPublicKey: listed?.sshPublicKey ?? null, error, targets };
    }),
  );
}
