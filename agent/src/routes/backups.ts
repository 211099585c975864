/**
 * Handlers of the backup operations (issue 14): thin. What can be answered at once is
 * (an unknown server or target, a snapshot of another server); the slow ones run as
 * operations with log lines. A snapshot is always looked up together with the server
 * name and owner the panel gives: another's is NOT_FOUND.
 */
import { AgentFailure } from "../errors";
import { checkBackupTarget } from "../ops/backup/check-backup-target";
import { createBackup } from "../ops/backup/create-backup";
import { deleteBackup } from "../ops/backup/delete-backup";
import { browseBackup } from "../ops/backup/browse-backup";
import { deleteBackupTarget, listBackupTargets, putBackupTarget } from "../ops/backup/backup-targets";
import { listBackups } from "../ops/backup/list-backups";
import { pruneBackups } from "../ops/backup/prune-backups";
import { openRepository } from "../ops/backup/repository";
import { restoreBackup } from "../ops/backup/restore-backup";
import { restoreBackupAsNew } from "../ops/backup/restore-backup-as-new";
import { restoreBackupFiles } from "../ops/backup/restore-backup-files";
import { findSnapshot } from "../ops/backup/snapshots";
import { sshPublicKey } from "../ops/backup/ssh-identity";
import { readLocation } from "../ops/backup/target-store";
import type { HostPaths } from "../config/paths";
import type { Handler } from "./handlers";
import { operationStore } from "./operation-registry";
import { requireServer } from "./require-server";

function requireTarget(paths: HostPaths, id: string): void {
  if (!readLocation(paths, id)) throw new AgentFailure("NOT_FOUND", `no backup target "${id}"`, "target");
}

/** The snapshot must exist and be the named server's (answered before an operation starts). */
async function requireSnapshot(paths: HostPaths, ref: { target: string; name: string; owner: string; snapshot: string }): Promise<void> {
  requireTarget(paths, ref.target);
  await findSnapshot(await openRepository(paths, ref.target), ref, paths);
}

/** listBackupTargets. */
export const listBackupTargetsHandler: Handler<"listBackupTargets"> = async (_input, ctx) => ({
  targets: await listBackupTargets(ctx.paths),
  sshPublicKey: sshPublicKey(ctx.paths),
});

/** putBackupTarget. */
export const putBackupTargetHandler: Handler<"putBackupTarget"> = async (input, ctx) => putBackupTarget(ctx.paths, input.id, input.location);

/** deleteBackupTarget. */
export const deleteBackupTargetHandler: Handler<"deleteBackupTarget"> = async (input, ctx) => {
  deleteBackupTarget(ctx.paths, input.id, input.destroySecret);
  return { ok: true as const };
};

/** checkBackupTarget: as an operation (a check reads the whole index, with a subset some data). */
export const checkBackupTargetHandler: Handler<"checkBackupTarget"> = async (input, ctx) => {
  requireTarget(ctx.paths, input.id);
  const id = operationStore(ctx.paths).start("backup-check", null, (op) => checkBackupTarget(ctx.paths, input.id, input.readDataSubset, op.log));
  return { operationId: id, name: null };
};

/** createBackup. */
export const createBackupHandler: Handler<"createBackup"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  requireTarget(ctx.paths, input.target);
  const id = operationStore(ctx.paths).start("backup", input.name, (op) =>
    createBackup(ctx.paths, { ...input, log: op.log, progress: op.progress }),
  );
  return { operationId: id, name: input.name };
};

/** listBackups. */
export const listBackupsHandler: Handler<"listBackups"> = async (input, ctx) => {
  requireTarget(ctx.paths, input.target);
  return { snapshots: await listBackups(ctx.paths, input.target, { name: input.name, owner: input.owner }) };
};

/** deleteBackup. */
export const deleteBackupHandler: Handler<"deleteBackup"> = async (input, ctx) => {
  requireTarget(ctx.paths, input.target);
  await deleteBackup(ctx.paths, input);
  return { ok: true as const };
};

/** pruneBackups. */
export const pruneBackupsHandler: Handler<"pruneBackups"> = async (input, ctx) => {
  requireTarget(ctx.paths, input.target);
  return pruneBackups(ctx.paths, input.target, input.name, input.owner, input.retention);
};

/** browseBackup. */
export const browseBackupHandler: Handler<"browseBackup"> = async (input, ctx) => {
  requireTarget(ctx.paths, input.target);
  return browseBackup(ctx.paths, input, input.path);
};

/** restoreBackup. */
export const restoreBackupHandler: Handler<"restoreBackup"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await requireSnapshot(ctx.paths, input);
  const id = operationStore(ctx.paths).start("restore", input.name, (op) => restoreBackup(ctx.paths, { ...input, log: op.log, progress: op.progress }));
  return { operationId: id, name: input.name };
};

/** restoreBackupFiles. */
export const restoreBackupFilesHandler: Handler<"restoreBackupFiles"> = async (input, ctx) => {
  requireServer(ctx.paths, input.name);
  await requireSnapshot(ctx.paths, input);
  const id = operationStore(ctx.paths).start("restore-files", input.name, (op) => restoreBackupFiles(ctx.paths, { ...input, log: op.log }));
  return { operationId: id, name: input.name };
};

/** restoreBackupAsNew. */
export const restoreBackupAsNewHandler: Handler<"restoreBackupAsNew"> = async (input, ctx) => {
  await requireSnapshot(ctx.paths, input);
  const id = await restoreBackupAsNew(ctx.paths, input, operationStore(ctx.paths));
  return { operationId: id, name: input.create.name };
};
