/**
 * The target's pull of a transfer stream over TLS pinned to the source agent's
 * certificate (no other CA is trusted), authenticated by the ticket's secret, into a
 * staging file whose length and sha256 are checked. A stream the network cut is resumed
 * (Range) where it stopped.
 */
import { formatBytes } from "@/lib/format";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type { IncomingMessage } from "node:http";
import { once } from "node:events";
import { transferConfig, transferHeaders, type TransferTicket } from "@/lib/protocol/migration-operations";
import type { z } from "zod";
import { AgentFailure } from "../../errors";
import type { StepReporting } from "../operations/step-reporting";

/** Where a pull comes from and how it reports. */
export interface PullRequest extends StepReporting {
  ticket: TransferTicket;
  source: { endpoint: string; tlsCertPem: string };
}

/** The source archives the whole root before its first byte (the checksum leads the body): a large root takes minutes. */
const idleLimitMs = 30 * 60_000;

/** Sizes in the job log: "512 KiB", "1.5 MiB". */
const size = (n: number) => formatBytes(n);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A failure of the connection itself (cut, reset, refused, silent): worth asking for the rest again. */
class CutStream extends Error {}

/** How often a cut stream is resumed before the transfer fails, and the pause before each try (doubling). */
const maxResumes = 5;
const firstPauseMs = 1000;

interface Answer {
  res: IncomingMessage;
  expected: string;
  total: number;
  config: z.infer<typeof transferConfig>;
}

/** How {@link getFromSource} reports a source that stays silent past the timeout, and a failed connection. */
export interface SourceFailures {
  silent: () => Error;
  unreachable: (e: Error) => Error;
}

/**
 * GET `path` (with its query) of the source agent under the ticket: TLS pinned to the
 * source's certificate (no other CA is trusted), the ticket's secret, the request's
 * abort signal; resolves with the response whatever its status.
 */
export function getFromSource(req: PullRequest, path: string, headers: Record<string, string>, timeoutMs: number, fail: SourceFailures): Promise<IncomingMessage> {
  const url = new URL(path, req.source.endpoint);
  if (url.protocol !== "https:") return Promise.reject(new AgentFailure("BAD_REQUEST", "the source endpoint must be https", "source.endpoint"));
  return new Promise<IncomingMessage>((resolve, reject) => {
    const r = https.get(url, { ca: req.source.tlsCertPem, headers: { authorization: `Ticket ${req.ticket.secret}`, ...headers }, signal: req.signal, timeout: timeoutMs }, resolve);
    r.on("timeout", () => r.destroy(fail.silent()));
    r.on("error", (e) => reject(fail.unreachable(e)));
  });
}

/** One request of the stream, from byte `from` (a Range request) or whole (null). */
async function request(req: PullRequest, from: number | null): Promise<Answer> {
  const res = await getFromSource(req, `/transfer/${req.ticket.id}?server=${req.ticket.serverName}`, from === null ? {} : { range: `bytes=${from}-` }, idleLimitMs, {
    silent: () => new CutStream(`the source sent nothing for ${idleLimitMs / 60_000} min`),
    unreachable: (e) => (req.signal?.aborted || e instanceof AgentFailure ? e : new CutStream(`cannot reach the source agent: ${e.message}`)),
  });
  if (res.statusCode !== (from === null ? 200 : 206)) {
    let text = "";
    for await (const c of res) text += (c as Buffer).toString();
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      /* not JSON: the raw text */
    }
    throw new AgentFailure(res.statusCode === 409 || res.statusCode === 410 || res.statusCode === 403 || res.statusCode === 401 ? "CONFLICT" : "BUSY", `the source refused the transfer (${res.statusCode}): ${message}`);
  }
  const expected = String(res.headers[transferHeaders.sha256] ?? "");
  const range = from === null ? null : /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(res.headers["content-range"] ?? ""));
  const total = range ? Number(range[3]) : Number(res.headers["content-length"] ?? NaN);
  const parsed = transferConfig.safeParse(parseJson(Buffer.from(String(res.headers[transferHeaders.config] ?? ""), "base64url").toString()));
  if (!/^[0-9a-f]{64}$/.test(expected) || !Number.isSafeInteger(total) || !parsed.success || (from !== null && (!range || Number(range[1]) !== from))) {
    res.destroy();
    throw new AgentFailure("BAD_REQUEST", "the source's answer lacks its checksum, length, range or configuration");
  }
  return { res, expected, total, config: parsed.data };
}

/**
 * Pulls the stream into `file`; returns the configuration the source sent with it. A
 * stream cut by the network (or a source agent that stopped answering for a moment) is
 * resumed where it stopped — `Range: bytes=<received>-`, the same archive under the same
 * ticket, its length and sha256 checked to be the first answer's — up to {@link maxResumes}
 * times while the ticket is valid; the sha256 covers every byte received either way.
 * Progress runs to `share` percent (the rest is the caller's).
 */
export async function pullTransfer(req: PullRequest, file: string, share = 60): Promise<{ config: z.infer<typeof transferConfig>; bytes: number }> {
  const hash = crypto.createHash("sha256");
  const out = fs.createWriteStream(file, { flags: "wx", mode: 0o600 });
  let first: Omit<Answer, "res"> | null = null;
  let bytes = 0;
  let reported = 0;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        // After a first try that was lost on the way, the rest is still asked for by Range: the source may have claimed the ticket.
        const answer = await request(req, attempt === 0 ? null : bytes);
        if (first && (answer.expected !== first.expected || answer.total !== first.total)) {
          answer.res.destroy();
          throw new AgentFailure("CONFLICT", "the source resumed with another archive than it began (checksum or length differ)");
        }
        first ??= { expected: answer.expected, total: answer.total, config: answer.config };
        const { res, total } = answer;
        if (attempt > 0) req.log(`resumed at ${size(bytes)} of ${size(total)}`);
        try {
          for await (const chunk of res) {
            const b = chunk as Buffer;
            hash.update(b);
            bytes += b.length;
            if (bytes > total) throw new AgentFailure("BAD_REQUEST", "the source sent more than it announced");
            if (!out.write(b)) await once(out, "drain");
            if (bytes - reported >= 8 << 20 || bytes === total) {
              reported = bytes;
              req.log(`received ${size(bytes)} of ${size(total)}`);
              req.progress(Math.min(share, Math.round((share * bytes) / Math.max(1, total))));
            }
          }
        } catch (e) {
          throw e instanceof AgentFailure || req.signal?.aborted ? e : new CutStream((e as Error).message);
        }
        if (bytes === total) break;
        throw new CutStream(`the stream ended after ${bytes} of ${total} bytes`);
      } catch (e) {
        if (!(e instanceof CutStream)) throw e;
        const pause = firstPauseMs * 2 ** attempt;
        if (attempt >= maxResumes || Date.parse(req.ticket.expiresAt) < Date.now() + pause) {
          throw new AgentFailure("BUSY", `the transfer was cut after ${bytes} bytes and could not be resumed (${attempt} tries): ${e.message}`);
        }
        req.log(`the stream was cut after ${size(bytes)} (${e.message}); asking for the rest in ${pause / 1000} s`);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  } finally {
    out.end();
    await once(out, "close").catch(() => undefined);
  }
  const got = hash.digest("hex");
  if (got !== first.expected) throw new AgentFailure("BAD_REQUEST", `checksum mismatch: sha256 ${got}, the source said ${first.expected}`);
  req.log(`received ${size(bytes)}, sha256 ${got} verified`);
  return { config: first.config, bytes };
}

