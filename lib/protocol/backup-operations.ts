/**
 * The backup operations of the agent API (merged into `operations`); their types are in
 * `./backups`. Slow ones answer with an operation id (follow it with getOperation); when
 * a backup succeeds its operation's last log line names the snapshot, and listBackups
 * shows it with its figures.
 */
import { z } from "zod";
import {
  backupLocation,
  backupOwner,
  backupRetention,
  backupSnapshot,
  backupTargetId,
  backupTargetInfo,
  createBackupInput,
  guestPath,
  restoreBackupAsNewInput,
  restoreBackupFilesInput,
  restoreBackupInput,
  snapshotEntry,
  snapshotRef,
} from "./backups";
import { vserverName } from "./names";
import { operationStarted } from "./vserver-provisioning";
import type { OperationDef } from "./operations";

/** The backup operations (see the summaries). */
export const backupOperations = {
  listBackupTargets: {
    summary: "The host's backup targets with repository size, free space, snapshot count and last check; and the host's SSH public key that SFTP targets must authorize.",
    input: z.object({}).strict(),
    output: z.object({ targets: z.array(backupTargetInfo), sshPublicKey: z.string() }),
  },
  putBackupTarget: {
    summary: "Add or change a target and initialize its repository (a new sealed password when it has none); refused with the reason when it cannot be reached or opened.",
    input: z.object({ id: backupTargetId, location: backupLocation }).strict(),
    output: backupTargetInfo,
  },
  deleteBackupTarget: {
    summary: "Forget a target on this host (its repository is left where it is; its password is kept sealed unless `destroySecret`).",
    input: z.object({ id: backupTargetId, destroySecret: z.boolean().default(false) }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
  checkBackupTarget: {
    summary: "Run `restic check` on a target (slow: operation id); the result is the target's lastCheck.",
    input: z.object({ id: backupTargetId, readDataSubset: z.string().regex(/^\d{1,3}%$/).optional() }).strict(),
    output: operationStarted,
  },
  createBackup: {
    summary: "Back up a server's root and configuration to a target from a point-in-time view (a running server is frozen only while the view is made) (slow: operation id).",
    input: createBackupInput,
    output: operationStarted,
  },
  listBackups: {
    summary: "Snapshots on a target, all of one server (name and owner) or all of the target.",
    input: z.object({ target: backupTargetId, name: vserverName.optional(), owner: backupOwner.optional() }).strict(),
    output: z.object({ snapshots: z.array(backupSnapshot) }),
  },
  deleteBackup: {
    summary: "Forget one snapshot of a server and prune what only it used.",
    input: z.object({ ...snapshotRef }).strict(),
    output: z.object({ ok: z.literal(true) }),
  },
  pruneBackups: {
    summary: "Apply a retention to a server's snapshots on a target (all 0: forget them all) and prune; answers what was removed.",
    input: z.object({ target: backupTargetId, name: vserverName, owner: backupOwner, retention: backupRetention }).strict(),
    output: z.object({ removed: z.array(z.string()), kept: z.number().int().nonnegative() }),
  },
  browseBackup: {
    summary: "The entries of one directory of a snapshot's root (never follows a symlink).",
    input: z.object({ ...snapshotRef, path: guestPath.default("/") }).strict(),
    output: z.object({ path: z.string(), entries: z.array(snapshotEntry) }),
  },
  restoreBackup: {
    summary: "Put a server back to a snapshot: root and configuration; the old root is kept until the restored one has started (slow: operation id).",
    input: restoreBackupInput,
    output: operationStarted,
  },
  restoreBackupFiles: {
    summary: "Restore files or directories of a snapshot into the server (running or not), through the guest-filesystem layer (slow: operation id).",
    input: restoreBackupFilesInput,
    output: operationStarted,
  },
  restoreBackupAsNew: {
    summary: "Build a new server from a snapshot of another (its own name, context, addresses and limits) (slow: operation id).",
    input: restoreBackupAsNewInput,
    output: z.object({ operationId: z.string(), name: vserverName }),
  },
} as const satisfies Record<string, OperationDef>;
