/**
 * The streamed route of backup downloads (`POST /v1/backup-download`, lib/protocol's
 * backupDownloadPath): authenticated by the caller (http-server.ts) like every call, the
 * JSON body parsed by downloadBackupInput; refusals are ordinary error answers sent
 * before any byte; then the bytes (ops/backup/download-backup.ts). An error after the
 * first byte destroys the response, so a cut download is never taken for a whole one.
 */
import type http from "node:http";
import { backupDownloadKindHeader, downloadBackupInput } from "@/lib/protocol/backups";
import type { HostPaths } from "../config/paths";
import { AgentFailure } from "../errors";
import { prepareDownload } from "../ops/backup/download-backup";
import { readLocation } from "../ops/backup/target-store";
import { log } from "./log";

/** What the route needs from the API server. */
export interface DownloadContext {
  paths: HostPaths;
  requestId: string;
  body: unknown;
}

/** Answers one download; throws AgentFailure for a refusal before anything was sent. */
export async function serveBackupDownload(res: http.ServerResponse, ctx: DownloadContext): Promise<void> {
  const parsed = downloadBackupInput.safeParse(ctx.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || undefined;
    throw new AgentFailure("BAD_REQUEST", `${field ? `${field}: ` : ""}${issue?.message ?? "invalid input"}`, field);
  }
  const input = parsed.data;
  if (!readLocation(ctx.paths, input.target)) throw new AgentFailure("NOT_FOUND", `no backup target "${input.target}"`, "target");
  const dl = await prepareDownload(ctx.paths, input, input.path);
  const ascii = dl.filename.replace(/[^\w.-]/g, "_");
  res.writeHead(200, {
    "content-type": dl.kind === "file" ? "application/octet-stream" : "application/zstd",
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(dl.filename)}`,
    [backupDownloadKindHeader]: dl.kind,
    "cache-control": "no-store",
    ...(dl.size !== null ? { "content-length": String(dl.size) } : {}),
  });
  try {
    await dl.pipeTo(res);
    res.end();
  } catch (e) {
    log("warn", "backup download cut", { requestId: ctx.requestId, error: (e as Error).message });
    res.destroy(e as Error);
  }
}
