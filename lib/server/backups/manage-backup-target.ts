/** An admin's changes to a target: make it the default, check it now, or remove it. */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { createJob } from "@/lib/server/jobs/create-job";
import { makeDefault } from "./save-backup-target";

async function targetOrThrow(db: Db, actor: Actor, id: string) {
  if (actor.role !== "ADMIN") throw notFound();
  const t = await db.backupTarget.findUnique({ where: { id } });
  if (!t) throw notFound("Backup target not found");
  return t;
}

/** New backups of its host(s) go to this target. */
export async function setDefaultBackupTarget(db: Db, actor: Actor, id: string): Promise<void> {
  const t = await targetOrThrow(db, actor, id);
  await makeDefault(db, t.id);
  await audit(db, actor, "backup.target.default", { type: "backupTarget", id: t.id }, { name: t.name });
}

/** Queues a `restic check` of the target on one host. */
export async function requestTargetCheck(db: Db, actor: Actor, id: string, hostId: string): Promise<{ jobId: string }> {
  const t = await targetOrThrow(db, actor, id);
  if (t.hostId && t.hostId !== hostId) throw notFound("Backup target not found");
  if (!(await db.host.findUnique({ where: { id: hostId } }))) throw notFound("Host not found");
  const jobId = await createJob(db, { type: "backup.check", hostId, createdById: actor.userId, payload: { targetId: t.id } });
  await audit(db, actor, "backup.target.check", { type: "backupTarget", id: t.id }, { hostId, jobId });
  return { jobId };
}

/** Removes a target without backups (its repository stays where it is). */
export async function deleteBackupTarget(db: Db, actor: Actor, id: string): Promise<void> {
  const t = await targetOrThrow(db, actor, id);
  if (t.key === "local") throw new AppError("CONFLICT", "a host's local target cannot be removed");
  const kept = await db.backup.count({ where: { targetId: t.id } });
  if (kept) throw new AppError("CONFLICT", `${kept} backup(s) are kept on this target: delete them first`);
  const hosts = t.hostId ? await db.host.findMany({ where: { id: t.hostId } }) : await db.host.findMany();
  for (const host of hosts) await agentForHost(host, 30_000).deleteBackupTarget({ id: t.key, destroySecret: false }).catch(() => undefined);
  await db.backupTarget.delete({ where: { id: t.id } });
  await audit(db, actor, "backup.target.delete", { type: "backupTarget", id: t.id }, { name: t.name });
}
