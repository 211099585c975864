/**
 * A streamed agent answer (a backup download: a file's bytes, or a directory as
 * `.tar.zst`): the request is JSON like any operation, the answer is passed on as it
 * comes, never held in memory. Failures before the first byte are AgentErrors.
 */
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import { agentErrorBody } from "@/lib/protocol";
import { downloadBackupInput } from "@/lib/protocol/backups";
import type { z } from "zod";
import { AgentError } from "./agent-error";
import { parseEndpoint } from "./endpoint";
import type { AgentClientConfig } from "./client";

/** A streamed answer: its body and the headers that describe it. */
export interface StreamedAnswer {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** The file name the agent suggests (`etc.tar.zst`, `hosts`). */
  fileName: string | null;
  contentLength: string | null;
}

/** The agent's path of the streamed download. */
export const downloadBackupPath = "/v1/downloadBackup";

/** Starts the download; resolves once the agent answered with a success status. */
export async function streamBackupDownload(config: AgentClientConfig, input: z.input<typeof downloadBackupInput>, timeoutMs = 60_000): Promise<StreamedAnswer> {
  const requestId = crypto.randomUUID();
  const parsed = downloadBackupInput.safeParse(input);
  if (!parsed.success) throw new AgentError("BAD_REQUEST", `invalid input for downloadBackup: ${parsed.error.issues[0]?.message}`, requestId, 400);
  const endpoint = parseEndpoint(config.endpoint);
  const payload = Buffer.from(JSON.stringify(parsed.data));
  const options: http.RequestOptions = {
    method: "POST",
    path: downloadBackupPath,
    headers: { authorization: `Bearer ${config.credential}`, "x-request-id": requestId, "content-type": "application/json", "content-length": String(payload.length) },
  };
  if (endpoint.kind === "unix") options.socketPath = endpoint.socketPath;
  else Object.assign(options, { host: endpoint.host, port: endpoint.port }, config.tls?.ca ? { ca: config.tls.ca } : {});
  const lib = endpoint.kind === "https" ? https : http;
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = lib.request(options, resolve);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`agent did not answer within ${timeoutMs} ms`)));
    req.on("error", (error) => reject(new AgentError("UNREACHABLE", `agent unreachable: ${error.message}`, requestId, 0)));
    req.end(payload);
  });
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      body = undefined;
    }
    const failure = agentErrorBody.safeParse(body);
    if (failure.success) throw new AgentError(failure.data.error.code, failure.data.error.message, requestId, status, failure.data.error.field);
    throw new AgentError("BAD_RESPONSE", `agent answered HTTP ${status} without an error body`, requestId, status);
  }
  // The socket's idle timeout stays for the body: a stalled stream ends rather than hangs.
  const disposition = String(res.headers["content-disposition"] ?? "");
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
  return {
    body: Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>,
    contentType: String(res.headers["content-type"] ?? "application/octet-stream"),
    fileName: name,
    contentLength: typeof res.headers["content-length"] === "string" ? res.headers["content-length"] : null,
  };
}
