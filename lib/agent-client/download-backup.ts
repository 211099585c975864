/**
 * The streamed backup download (lib/protocol/backups: backupDownloadPath): not one of
 * the JSON operations, so not a method of the typed client. Resolves once the agent
 * answered 200 with the entry's kind, file name and the body stream (pipe it on; an
 * `error`/`aborted` event on it means the download was cut); a refusal becomes the same
 * AgentError as any call's.
 */
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { z } from "zod";
import { agentErrorBody } from "@/lib/protocol";
import { backupDownloadKindHeader, backupDownloadPath, downloadBackupInput } from "@/lib/protocol/backups";
import { AgentError } from "./agent-error";
import type { AgentClientConfig } from "./client";
import { parseEndpoint } from "./endpoint";
import { unreachableMessage } from "./unreachable-message";

/** An open download. */
export interface BackupDownload {
  kind: "file" | "dir";
  /** From content-disposition's filename* (the entry's name; `NAME.tar.zst` for a directory). */
  filename: string;
  contentType: string;
  /** Bytes of a file; null for a directory (streamed, length unknown). */
  size: number | null;
  body: http.IncomingMessage;
  requestId: string;
}

/** Opens a download of a file or directory of a snapshot. */
export function openBackupDownload(config: AgentClientConfig, input: z.input<typeof downloadBackupInput>, timeoutMs = 60_000): Promise<BackupDownload> {
  const requestId = crypto.randomUUID();
  const parsed = downloadBackupInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return Promise.reject(new AgentError("BAD_REQUEST", `invalid input for a backup download: ${issue?.message ?? "bad input"}`, requestId, 400, issue?.path.join(".")));
  }
  const endpoint = parseEndpoint(config.endpoint);
  const payload = Buffer.from(JSON.stringify(parsed.data));
  const options: http.RequestOptions & { ca?: string } = {
    method: "POST",
    path: backupDownloadPath,
    headers: { authorization: `Bearer ${config.credential}`, "x-request-id": requestId, "content-type": "application/json", "content-length": String(payload.length) },
    timeout: timeoutMs,
  };
  if (endpoint.kind === "unix") options.socketPath = endpoint.socketPath;
  else Object.assign(options, { host: endpoint.host, port: endpoint.port });
  if (endpoint.kind === "https" && config.tls?.ca) options.ca = config.tls.ca;
  const lib = endpoint.kind === "https" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(options, (res) => {
      const status = res.statusCode ?? 0;
      if (status === 200) {
        // The download may take long: only the wait for its start is bounded.
        req.setTimeout(0);
        const kind = res.headers[backupDownloadKindHeader] === "dir" ? "dir" : "file";
        const disposition = String(res.headers["content-disposition"] ?? "");
        const star = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
        const length = res.headers["content-length"];
        resolve({
          kind,
          filename: star ? decodeURIComponent(star) : kind === "dir" ? "backup.tar.zst" : "download",
          contentType: String(res.headers["content-type"] ?? "application/octet-stream"),
          size: length ? Number(length) : null,
          body: res,
          requestId,
        });
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = undefined;
        }
        const failure = agentErrorBody.safeParse(body);
        if (failure.success) reject(new AgentError(failure.data.error.code, failure.data.error.message, failure.data.error.requestId ?? requestId, status, failure.data.error.field));
        else reject(new AgentError("BAD_RESPONSE", `agent answered HTTP ${status} without an error body`, requestId, status));
      });
    });
    req.on("timeout", () => req.destroy(new Error(`agent did not answer within ${timeoutMs} ms`)));
    req.on("error", (e) => reject(new AgentError("UNREACHABLE", unreachableMessage(e), requestId, 0)));
    req.end(payload);
  });
}
