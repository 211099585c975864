/**
 * Restores from a backup: the whole server (its old root kept until the restored one
 * has started), or chosen files and directories into the server while it runs. The
 * owner or its provider asks; support only reads.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { guestPath } from "@/lib/protocol/backups";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { parseInput } from "@/lib/server/parse-input";
import { getBackupOrThrow, snapshotRefOf } from "./get-backup-or-throw";
import { refuseWhileBusy } from "./server-busy";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

async function loadForRestore(db: Db, actor: Actor, serverId: string, backupId: string) {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot restore backups");
  const loaded = await getBackupOrThrow(db, actor, serverId, backupId);
  snapshotRefOf(loaded);
  const { server } = loaded;
  if (server.suspended) throw new AppError("CONFLICT", "the server is suspended");
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  await refuseWhileBusy(db, serverId);
  return loaded;
}

/** Puts the whole server back to the backup; returns the job. */
export async function requestRestore(db: Db, actor: Actor, serverId: string, backupId: string): Promise<{ jobId: string }> {
  const { backup, server } = await loadForRestore(db, actor, serverId, backupId);
  requireHostOnline(server.host);
  const jobId = await createJob(db, { type: "backup.restore", vserverId: server.id, hostId: server.host.id, createdById: actor.userId, payload: { backupId: backup.id } });
  await audit(db, actor, "backup.restore", { type: "vserver", id: serverId }, { backupId: backup.id, snapshot: backup.snapshotId, jobId });
  return { jobId };
}

const filesInput = z
  .object({
    paths: z.array(guestPath).min(1, "choose at least one file or directory").max(100),
    /** A directory to restore into; absent: each back where it was. */
    into: guestPath.optional(),
  })
  .strict();

/** Restores chosen paths of the backup into the server; returns the job. */
export async function requestRestoreFiles(db: Db, actor: Actor, serverId: string, backupId: string, raw: unknown): Promise<{ jobId: string }> {
  const input = parseInput(filesInput, raw);
  const { backup, server } = await loadForRestore(db, actor, serverId, backupId);
  requireHostOnline(server.host);
  const jobId = await createJob(db, {
    type: "backup.restore-files",
    vserverId: server.id,
    hostId: server.host.id,
    createdById: actor.userId,
    payload: { backupId: backup.id, paths: input.paths, into: input.into },
  });
  await audit(db, actor, "backup.restore-files", { type: "vserver", id: serverId }, { backupId: backup.id, snapshot: backup.snapshotId, paths: input.paths, into: input.into ?? null, jobId });
  return { jobId };
}
