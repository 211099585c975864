/**
 * REST operations on a server's backups (issue 14): list, make one (within the plan's
 * slots), restore the whole server, files into it or a new server from it, browse a
 * directory of it, download a file or a directory (.tar.zst), delete. A backup is named
 * by the panel's id or its snapshot id; another server's is 404.
 */
import { z } from "zod";
import { guestPath, snapshotEntry } from "@/lib/protocol/backups";
import { browseBackup } from "@/lib/server/backups/browse-backup";
import { downloadBackup } from "@/lib/server/backups/download-backup";
import { listServerBackups } from "@/lib/server/backups/list-server-backups";
import { requestBackup } from "@/lib/server/backups/request-backup";
import { requestDeleteBackup } from "@/lib/server/backups/request-delete-backup";
import { requestRestore, requestRestoreFiles } from "@/lib/server/backups/request-restore";
import { requestRestoreAsNew } from "@/lib/server/backups/request-restore-as-new";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

const backupParams = z.object({ id: z.string().min(1).max(64), backupId: z.string().min(1).max(64) });

const backupOut = z.object({
  id: z.string(),
  serverId: z.string().nullable(),
  serverName: z.string(),
  state: z.string().describe("RUNNING, OK, FAILED or DELETING; "+"RUNNING while being made; OK once its snapshot exists"),
  scheduled: z.boolean(),
  note: z.string(),
  snapshotId: z.string().nullable(),
  shortId: z.string().nullable(),
  takenAt: z.string().nullable(),
  createdAt: z.string(),
  addedBytes: z.number().nullable().describe("new data this backup added to its repository"),
  totalBytes: z.number().nullable(),
  files: z.number().nullable(),
  durationMs: z.number().nullable(),
  freezeMs: z.number().nullable().describe("how long the running server was frozen for its point-in-time view"),
  consistency: z.string().nullable().describe("reflink, fs-snapshot, stopped, or none (read while running)"),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
  targetId: z.string(),
});

const job = z.object({ jobId: z.string() });

/** The operations. */
export const backupApiOperations = [
  defineOperation({
    method: "GET",
    path: "/servers/{id}/backups",
    operationId: "listServerBackups",
    summary: "The server's backups, newest first, with size added, duration and freeze time.",
    tag: "backups",
    params: idParams,
    status: 200,
    response: z.object({ backups: z.array(backupOut) }),
    handler: async ({ db, actor, params }) => ({ backups: await listServerBackups(db, actor, params.id) }),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/backups",
    operationId: "createServerBackup",
    summary: "Queues an on-demand backup (a job; follow it with getJob). Refused with 422 naming the limit when the plan's backup slots are used.",
    tag: "backups",
    params: idParams,
    body: z.object({ note: z.string().max(200).optional() }).strict(),
    status: 202,
    response: z.object({ backupId: z.string(), jobId: z.string() }),
    handler: ({ db, actor, params, body }) => requestBackup(db, actor, params.id, body),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/backups/{backupId}/restore",
    operationId: "restoreServerBackup",
    summary: "Puts the whole server back to the backup (root and configuration; everything written since is lost). The current system is kept until the restored one has started.",
    tag: "backups",
    params: backupParams,
    status: 202,
    response: job,
    handler: ({ db, actor, params }) => requestRestore(db, actor, params.id, params.backupId),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/backups/{backupId}/restore-files",
    operationId: "restoreServerBackupFiles",
    summary: "Restores files or directories of the backup into the server while it runs: each back where it was, or into `into`.",
    tag: "backups",
    params: backupParams,
    body: z.object({ paths: z.array(guestPath).min(1).max(100), into: guestPath.optional() }).strict(),
    status: 202,
    response: job,
    handler: ({ db, actor, params, body }) => requestRestoreFiles(db, actor, params.id, params.backupId, body),
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/backups/{backupId}/restore-as-new",
    operationId: "restoreServerBackupAsNew",
    summary: "A new server for the same customer from the backup, with its own hostname and the same or another plan (under the reseller's quota).",
    tag: "backups",
    params: backupParams,
    body: z.object({ hostname: z.string(), planId: z.string().optional(), start: z.boolean().optional() }).strict(),
    status: 201,
    response: z.object({ serverId: z.string(), jobId: z.string(), name: z.string(), hostId: z.string() }),
    handler: ({ db, actor, params, body }) => requestRestoreAsNew(db, actor, params.id, params.backupId, body),
  }),
  defineOperation({
    method: "GET",
    path: "/servers/{id}/backups/{backupId}/files",
    operationId: "browseServerBackup",
    summary: "One directory of the backup (`path`, default /); symlinks are listed with their target, never followed.",
    tag: "backups",
    params: backupParams,
    query: z.object({ path: guestPath.optional() }),
    status: 200,
    response: z.object({ path: z.string(), entries: z.array(snapshotEntry) }),
    handler: ({ db, actor, params, query }) => browseBackup(db, actor, params.id, params.backupId, query.path ? { path: query.path } : {}),
  }),
  defineOperation({
    method: "GET",
    path: "/servers/{id}/backups/{backupId}/download",
    operationId: "downloadServerBackup",
    summary: "Downloads a file of the backup, or a directory as a .tar.zst archive (`path`).",
    tag: "backups",
    params: backupParams,
    query: z.object({ path: guestPath }),
    status: 200,
    response: z.unknown(),
    stream: { contentType: "application/octet-stream", description: "The file's bytes, or the directory as a zstd-compressed tar (application/zstd)" },
    handler: async ({ db, actor, params, query }) => {
      const a = await downloadBackup(db, actor, params.id, params.backupId, { path: query.path });
      return new Response(a.body, { headers: { "content-type": a.contentType, "content-disposition": `attachment; filename="${a.fileName}"`, "cache-control": "no-store" } });
    },
  }),
  defineOperation({
    method: "DELETE",
    path: "/servers/{id}/backups/{backupId}",
    operationId: "deleteServerBackup",
    summary: "Deletes the backup: its snapshot is forgotten on its storage and what only it used is pruned (a job, or none for a failed backup).",
    tag: "backups",
    params: backupParams,
    status: 202,
    response: z.object({ jobId: z.string().nullable() }),
    handler: ({ db, actor, params }) => requestDeleteBackup(db, actor, params.id, params.backupId),
  }),
];
