/**
 * Wire types of provisioning beyond createVserver: templates (list, export, delete),
 * reinstall, package updates and unification (vunify) with its per-host report.
 * The slow ones answer with an operation id (follow it with getOperation: progress and
 * log lines as they come).
 */
import { z } from "zod";
import { vserverName } from "./names";
import { buildMethod, cString } from "./vservers";

/** A template's name (ROOTDIR/.templates/NAME.tar.zst). */
export const templateName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "a-z, 0-9, . _ - (up to 64)");

/** One template of a host. */
export const templateInfo = z.object({
  name: templateName,
  /** Size of the compressed archive. */
  bytes: z.number().int().nonnegative(),
  createdAt: z.string(),
  description: z.string(),
  /** The server it was exported from (null for a file an admin put there). */
  sourceVserver: z.string().nullable(),
  buildMethod: z.string().nullable(),
  /** e.g. "bookworm" (null when unknown). */
  distribution: z.string().nullable(),
  entries: z.number().int().nonnegative(),
  /** Bytes of file data in the archive (what a server built from it starts with). */
  contentBytes: z.number().int().nonnegative(),
});

/** Parsed form of {@link templateInfo}. */
export type TemplateInfo = z.infer<typeof templateInfo>;

/** Input of exportTemplate: a STOPPED server's root into the host's template store. */
export const exportTemplateInput = z
  .object({
    name: vserverName,
    template: templateName,
    description: z.string().max(500).default(""),
    /** Replace a template of that name (else CONFLICT). */
    replace: z.boolean().default(false),
  })
  .strict();

/** Input of reinstallVserver: a fresh root by a build method, keeping the configuration. */
export const reinstallInput = z
  .object({
    name: vserverName,
    method: buildMethod,
    /** Method options as for createVserver (e.g. ["--source", "debian12"]). */
    methodArgs: z.array(cString(4096)).max(64).default([]),
    /** New root password / keys; absent: the old root's are carried over. */
    rootPassword: cString(256).min(8).optional(),
    sshKeys: z.array(z.string().max(16384)).max(32).optional(),
    /** Start the new root (the old root is kept until it runs). */
    start: z.boolean().default(true),
    /** Stop timeout of the running server. */
    timeoutSec: z.number().int().min(0).max(600).default(30),
  })
  .strict();

/** Input of unifyVservers. */
export const unifyInput = z
  .object({
    /** Servers to unify; absent or empty: all servers of the host. */
    names: z.array(vserverName).max(10000).optional(),
    /** Only count what could be shared. */
    dryRun: z.boolean().default(false),
  })
  .strict();

/** One filesystem in a unify report. */
export const unifyFilesystem = z.object({
  device: z.string(),
  fsType: z.string(),
  servers: z.array(z.string()),
  /** Whether this filesystem can share file data (XFS reflink, btrfs). */
  supported: z.boolean(),
  /** Why nothing was done here (unsupported, or one server alone), else null. */
  reason: z.string().nullable(),
  usedBytesBefore: z.number().nonnegative(),
  usedBytesAfter: z.number().nonnegative(),
  savedBytes: z.number().nonnegative(),
  groups: z.number().int().nonnegative(),
  sharedFiles: z.number().int().nonnegative(),
  sharedBytes: z.number().nonnegative(),
});

/** What a vunify run did (getUnifyReport: the host's last run). */
export const unifyReport = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  dryRun: z.boolean(),
  servers: z.array(z.string()),
  filesystems: z.array(unifyFilesystem),
  perServer: z.array(z.object({ name: z.string(), scannedFiles: z.number().int(), scannedBytes: z.number(), excludeList: z.string() })),
  /** Regular files compared (outside the exclude lists) and their bytes. */
  scannedFiles: z.number().int().nonnegative(),
  scannedBytes: z.number().nonnegative(),
  /** Groups of identical files, files that now share their group's data, bytes the kernel shared. */
  groups: z.number().int().nonnegative(),
  sharedFiles: z.number().int().nonnegative(),
  sharedBytes: z.number().nonnegative(),
  /** Files that changed during the run (left alone). */
  changedFiles: z.number().int().nonnegative(),
  /** Space this run freed on the host (statfs before − after): the per-host savings. */
  savedBytes: z.number().nonnegative(),
  /** All runs' savedBytes added up (an upper bound: guests rewriting files un-share them). */
  totalSavedBytes: z.number().nonnegative(),
  errors: z.array(z.string()),
  message: z.string(),
});

/** Parsed form of {@link unifyReport}. */
export type UnifyReport = z.infer<typeof unifyReport>;

/** The answer of the slow provisioning operations. */
export const operationStarted = z.object({ operationId: z.string(), name: z.string().nullable() });
