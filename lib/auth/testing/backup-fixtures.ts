/**
 * Backups for the authorization matrix (issue 14): the fixture host's local target, an
 * OK backup of a tenant's server on it, a spare target, and the fake agent's answers to
 * the backup operations the panel asks of a host (browse, add a target), so an
 * authorized call through the panel succeeds without a real restic.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { FakeAgent } from "./fake-agent";
import type { Tenant } from "./tenants";

const uid = () => crypto.randomBytes(4).toString("hex");

/** The host's local target (its default, as the first backup would register it); made once. */
export async function localTarget(db: Db, hostId: string): Promise<string> {
  const row = await db.backupTarget.upsert({
    where: { hostId_key: { hostId, key: "local" } },
    create: { hostId, key: "local", name: "Local disk", kind: "LOCAL", location: JSON.stringify({ kind: "local", path: "/tmp/vst-authz-backups" }), isDefault: true },
    update: {},
  });
  return row.id;
}

/** A finished scheduled backup (state OK, with a snapshot) of the tenant's server on its host's local target (scheduled: it fills none of the plan's on-demand slots). */
export async function okBackup(db: Db, t: Tenant, opts: { scheduled?: boolean } = {}): Promise<string> {
  const server = await db.vServer.findUniqueOrThrow({ where: { id: t.serverId } });
  const targetId = await localTarget(db, server.hostId);
  const snapshotId = crypto.randomBytes(32).toString("hex");
  const row = await db.backup.create({
    data: { vserverId: server.id, serverKey: server.id, serverName: server.name, ownerId: server.ownerId, hostId: server.hostId, targetId, state: "OK", scheduled: opts.scheduled ?? true, snapshotId, takenAt: new Date() },
  });
  return row.id;
}

/** A kept backup of a terminated server of the tenant's customer (no server row; the tenant's plan then). */
export async function orphanedBackup(db: Db, t: Tenant): Promise<string> {
  const server = await db.vServer.findUniqueOrThrow({ where: { id: t.serverId } });
  const targetId = await localTarget(db, server.hostId);
  const row = await db.backup.create({
    data: {
      vserverId: null,
      serverKey: `gone-${uid()}`,
      serverName: `gone${uid()}`,
      ownerId: t.customerId,
      planId: t.planId,
      buildMethod: "busybox",
      distribution: "",
      hostId: server.hostId,
      targetId,
      state: "OK",
      snapshotId: crypto.randomBytes(32).toString("hex"),
      takenAt: new Date(),
      orphanedAt: new Date(),
    },
  });
  return row.id;
}

/** Drops the server's on-demand backups still being made (each create fills a slot of the plan's). */
export async function freeBackupSlots(db: Db, t: Tenant): Promise<void> {
  await db.backup.deleteMany({ where: { vserverId: t.serverId, scheduled: false, state: "RUNNING" } });
}

/** A fresh SFTP target of a host (not the default), for the admin's target buttons. */
export async function sftpTarget(db: Db, hostId: string): Promise<string> {
  const location = { kind: "sftp", host: "backup.authz.test", port: 22, user: "backup", path: `repo-${uid()}` };
  return (await db.backupTarget.create({ data: { key: `sftp-${uid()}`, name: `authz ${uid()}`, kind: "SFTP", hostId, location: JSON.stringify(location) } })).id;
}

/** A host with nothing on it (a target made for it does not touch the fixture host's default). */
export async function emptyHost(db: Db): Promise<string> {
  return (await db.host.create({ data: { name: `authz-bk-${uid()}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: "x" } })).id;
}

/** Teaches the fake agent the backup operations the matrix reaches on a host. */
export function answerBackups(agent: FakeAgent): void {
  const info = (id: string, location: unknown) => ({ id, location, initialized: true, repositoryBytes: 0, freeBytes: null, snapshots: 0, lastCheck: null, problem: null });
  agent.answers.putBackupTarget = (i) => info(String(i.id), i.location);
  agent.answers.deleteBackupTarget = () => ({ ok: true });
  agent.answers.browseBackup = (i) => ({ path: i.path, entries: [{ name: "hosts", path: "/etc/hosts", type: "file", size: 12, mode: 0o644, mtime: new Date().toISOString(), linkTarget: null }] });
}
