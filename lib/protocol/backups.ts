/**
 * Wire types of backups (issue 14): restic repositories ("targets") on a host, snapshots
 * of a server's root and configuration, restores and the snapshot file browser.
 *
 * One restic repository per target, shared by every server backed up there (identical
 * files of different servers are stored once). The repository password is made by the
 * agent when it first initializes a target and kept sealed on the host like its own
 * credentials: it never crosses this wire and never appears on a command line.
 *
 * A snapshot belongs to one server: the agent tags it with the server's name and the
 * panel's id for it (`owner`), and every operation that names a snapshot also names the
 * server and owner it must belong to — a snapshot of another server (or of an earlier
 * server of the same name) is "not found", nothing read.
 */
import { z } from "zod";
import { vserverName } from "./names";
import { createVserverInput } from "./vservers";

/** A target's id: chosen by the panel, one word (it names the host-side directory of its secrets). */
export const backupTargetId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "a-z, 0-9, _ - (up to 40)");

/** The panel's id for the server a snapshot belongs to (survives name reuse). */
export const backupOwner = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "A-Z, a-z, 0-9, _ - (up to 64)");

/** A restic snapshot id: the full 64-hex id or its 8-hex short form. */
export const snapshotId = z.string().regex(/^[0-9a-f]{8}([0-9a-f]{56})?$/, "8 or 64 hex digits");

/** Where a target's repository lives: a directory on the host, or a directory on an SSH server (restic `sftp:`). */
export const backupLocation = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("local"),
      /** An absolute host directory (made if missing); not inside a server's root. */
      path: z.string().regex(/^\/[^\0]{0,1000}$/, "an absolute path"),
    })
    .strict(),
  z
    .object({
      kind: z.literal("sftp"),
      host: z.string().regex(/^[A-Za-z0-9.:-]{1,253}$/, "a host name or address"),
      port: z.number().int().min(1).max(65535).default(22),
      user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a user name"),
      /** The repository directory on the SSH server (absolute, or relative to the user's home). */
      path: z.string().regex(/^[^\0\n]{1,1000}$/, "a path"),
      /** The server's host key line (`ssh-ed25519 AAAA…`), pinned; none: accepted on first use and pinned. */
      hostKey: z.string().max(16384).optional(),
    })
    .strict(),
]);

/** Parsed form of {@link backupLocation}. */
export type BackupLocation = z.infer<typeof backupLocation>;

/** The last `restic check` of a target. */
export const backupCheck = z.object({ at: z.string(), ok: z.boolean(), message: z.string() });

/** A target as the host sees it. */
export const backupTargetInfo = z.object({
  id: backupTargetId,
  location: backupLocation,
  /** The repository exists and its sealed password opens it. */
  initialized: z.boolean(),
  /** Bytes the repository takes (restic `stats --mode raw-data`); null when unknown. */
  repositoryBytes: z.number().nonnegative().nullable(),
  /** Free bytes where the repository lives; null when unknown (SFTP). */
  freeBytes: z.number().nonnegative().nullable(),
  snapshots: z.number().int().nonnegative(),
  lastCheck: backupCheck.nullable(),
  /** Why the target cannot be used now (unreachable, wrong password, …); null: usable. */
  problem: z.string().nullable(),
});

/** Parsed form of {@link backupTargetInfo}. */
export type BackupTargetInfo = z.infer<typeof backupTargetInfo>;

/** One backup of one server. */
export const backupSnapshot = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  shortId: z.string().regex(/^[0-9a-f]{8}$/),
  target: backupTargetId,
  name: vserverName,
  owner: backupOwner,
  time: z.string(),
  /** New data this backup added to the repository (after dedup and compression). */
  addedBytes: z.number().nonnegative(),
  /** Size of everything the snapshot holds (before dedup). */
  totalBytes: z.number().nonnegative(),
  files: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** How long the server was frozen for its point-in-time view; 0 when it was stopped; null when not recorded. */
  freezeMs: z.number().nonnegative().nullable(),
  /** How the point-in-time view was made: a reflink copy, a filesystem snapshot, the stopped root, or none (a running server without either: files may change while read). */
  consistency: z.enum(["reflink", "fs-snapshot", "stopped", "none"]),
  /** A note the panel attached (e.g. "scheduled daily", "before reinstall"). */
  note: z.string().max(200),
});

/** Parsed form of {@link backupSnapshot}. */
export type BackupSnapshot = z.infer<typeof backupSnapshot>;

/** Names a snapshot of a server: every field must match or the snapshot is "not found". */
export const snapshotRef = {
  target: backupTargetId,
  name: vserverName,
  owner: backupOwner,
  snapshot: snapshotId,
};

/** A path inside a snapshot's root, as the guest saw it (absolute; `..` refused). */
export const guestPath = z
  .string()
  .regex(/^\/[^\0]{0,4095}$/, "an absolute path")
  .refine((p) => !p.split("/").includes(".."), "must not contain ..");

/** One entry of a directory in a snapshot. */
export const snapshotEntry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(["file", "dir", "symlink", "dev", "fifo", "socket", "other"]),
  size: z.number().nonnegative(),
  mode: z.number().int().nonnegative(),
  mtime: z.string(),
  /** A symlink's target as stored (never followed). */
  linkTarget: z.string().nullable(),
});

/** Parsed form of {@link snapshotEntry}. */
export type SnapshotEntry = z.infer<typeof snapshotEntry>;

/** Input of `createBackup`. */
export const createBackupInput = z
  .object({
    name: vserverName,
    owner: backupOwner,
    target: backupTargetId,
    note: z.string().max(200).default(""),
    /**
     * The panel's own record of the server (plan, addresses, owner …) stored in the
     * snapshot beside the host configuration, so a restore-as-new is complete.
     */
    panelRecord: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** Input of `restoreBackup`: the whole server back to a snapshot. */
export const restoreBackupInput = z.object({ ...snapshotRef }).strict();

/** Input of `restoreBackupFiles`: files or directories of a snapshot into the server. */
export const restoreBackupFilesInput = z
  .object({
    ...snapshotRef,
    paths: z.array(guestPath).min(1).max(100),
    /** A guest directory to restore into (made if missing); absent: each path back where it was. */
    into: guestPath.optional(),
  })
  .strict();

/** Input of `restoreBackupAsNew`: a new server built from a snapshot of another. */
export const restoreBackupAsNewInput = z
  .object({
    ...snapshotRef,
    /** The new server, as for createVserver (its method and args are ignored: the snapshot is the source). */
    create: createVserverInput.omit({ method: true, methodArgs: true }),
  })
  .strict();

/** Input of `downloadBackup` (a streamed answer: a file's bytes, or a directory as `.tar.zst`). */
export const downloadBackupInput = z.object({ ...snapshotRef, path: guestPath }).strict();

/** Retention: how many of each to keep (restic `forget --keep-*`); all 0 forgets every snapshot of the server. */
export const backupRetention = z
  .object({
    keepLast: z.number().int().min(0).max(1000).default(0),
    keepDaily: z.number().int().min(0).max(1000).default(0),
    keepWeekly: z.number().int().min(0).max(1000).default(0),
    keepMonthly: z.number().int().min(0).max(1000).default(0),
  })
  .strict();

/** Parsed form of {@link backupRetention}. */
export type BackupRetention = z.infer<typeof backupRetention>;

/**
 * The streamed answer of a download (not a JSON operation): `POST` the JSON of
 * {@link downloadBackupInput} to this path with the host credential. A refusal is an
 * ordinary agent error answer (JSON, 4xx); success is 200 with the bytes: a regular
 * file as `application/octet-stream`, a directory as a `.tar.zst` (`application/zstd`),
 * the kind in the {@link backupDownloadKindHeader} header and a file name in
 * `content-disposition`. A symlink, FIFO or device node is refused (nothing to download).
 * An error after the first byte cuts the connection (the caller sees an aborted body).
 */
export const backupDownloadPath = "/v1/backup-download";

/** Header naming what a download holds: "file" or "dir". */
export const backupDownloadKindHeader = "x-backup-entry-kind";
