/**
 * The target side of an offline transfer: pulls the source's stream over TLS pinned to
 * the source agent's certificate (no other CA is trusted), authenticated by the ticket's
 * secret, into a staging file, checks its length and sha256, and then builds the server
 * from it with the `template` method: the same build as any template (buildVserver:
 * its own context and uid range picked here, every member created beneath the new root
 * without following links, ".." refused, the tree shifted into this host's range, and
 * on any failure nothing of it left). The staging file is removed in every case. A
 * stream the network cut is resumed (Range) where it stopped; a failed transfer is
 * started over with a new ticket.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import { once } from "node:events";
import { transferConfig, transferHeaders, type receivedServer, type TransferTicket } from "@/lib/protocol/migration-operations";
import type { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { configExists } from "../../config/vserver/read-config";
import { writeRestartPolicy } from "../../config/vserver/restart-policy-file";
import { AgentFailure } from "../../errors";
import { buildVserver } from "../build/build-vserver";
import { recordPopulateResult } from "../build/populate-method";
import { transferFile, withStagedFile } from "./transfer-files";
import { restartPolicy } from "@/lib/protocol/vservers";
import type { StepReporting } from "../operations/step-reporting";

/** What to receive from where. */
export interface ReceiveRequest extends StepReporting {
  ticket: TransferTicket;
  source: { endpoint: string; tlsCertPem: string };
  server: z.output<typeof receivedServer>;
}

/** The source archives the whole root before its first byte (the checksum leads the body): a large root takes minutes. */
const idleLimitMs = 30 * 60_000;

const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

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
  res: import("node:http").IncomingMessage;
  expected: string;
  total: number;
  config: z.infer<typeof transferConfig>;
}

/** One request of the stream, from byte `from` (a Range request) or whole (null). */
async function request(req: ReceiveRequest, from: number | null): Promise<Answer> {
  const url = new URL(`/transfer/${req.ticket.id}?server=${req.ticket.serverName}`, req.source.endpoint);
  if (url.protocol !== "https:") throw new AgentFailure("BAD_REQUEST", "the source endpoint must be https", "source.endpoint");
  const headers: Record<string, string> = { authorization: `Ticket ${req.ticket.secret}`, ...(from === null ? {} : { range: `bytes=${from}-` }) };
  const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
    const r = https.get(url, { ca: req.source.tlsCertPem, headers, signal: req.signal, timeout: idleLimitMs }, resolve);
    r.on("timeout", () => r.destroy(new CutStream(`the source sent nothing for ${idleLimitMs / 60_000} min`)));
    r.on("error", (e) => reject(req.signal?.aborted || e instanceof AgentFailure ? e : new CutStream(`cannot reach the source agent: ${e.message}`)));
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
 */
async function pull(req: ReceiveRequest, file: string): Promise<{ config: z.infer<typeof transferConfig>; bytes: number }> {
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
        if (attempt > 0) req.log(`resumed at ${mib(bytes)} of ${mib(total)}`);
        try {
          for await (const chunk of res) {
            const b = chunk as Buffer;
            hash.update(b);
            bytes += b.length;
            if (bytes > total) throw new AgentFailure("BAD_REQUEST", "the source sent more than it announced");
            if (!out.write(b)) await once(out, "drain");
            if (bytes - reported >= 8 << 20 || bytes === total) {
              reported = bytes;
              req.log(`received ${mib(bytes)} of ${mib(total)}`);
              req.progress(Math.min(60, Math.round((60 * bytes) / Math.max(1, total))));
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
        req.log(`the stream was cut after ${mib(bytes)} (${e.message}); asking for the rest in ${pause / 1000} s`);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  } finally {
    out.end();
    await once(out, "close").catch(() => undefined);
  }
  const got = hash.digest("hex");
  if (got !== first.expected) throw new AgentFailure("BAD_REQUEST", `checksum mismatch: sha256 ${got}, the source said ${first.expected}`);
  req.log(`received ${mib(bytes)}, sha256 ${got} verified`);
  return { config: first.config, bytes };
}

/** Receives and builds the server; throws (leaving nothing) on any failure. */
export async function receiveTransfer(paths: HostPaths, req: ReceiveRequest): Promise<{ context: number; bytes: number }> {
  if (req.ticket.serverName !== req.server.name) throw new AgentFailure("BAD_REQUEST", "the ticket is for another server", "ticket");
  if (Date.parse(req.ticket.expiresAt) < Date.now()) throw new AgentFailure("CONFLICT", "the transfer ticket has expired", "ticket");
  if (configExists(paths, req.server.name)) throw new AgentFailure("CONFLICT", `vserver "${req.server.name}" already exists on this host`, "server.name");
  const file = transferFile(paths, "in", req.ticket.id, true);
  return withStagedFile(file, async () => {
    const { config, bytes } = await pull(req, file);
    // The archive is untrusted input: the same build as a template file.
    const cfg = await buildVserver(paths, {
      name: req.server.name,
      method: "template",
      methodArgs: ["--source", file, "--no-reflink"],
      allowHostPaths: true, // our own staging file, never a path from the request
      hostname: req.server.hostname,
      domainname: config.domainname,
      nameservers: config.nameservers,
      limits: req.server.limits,
      interfaces: req.server.interfaces,
      startOnBoot: req.server.startOnBoot,
      userNamespace: req.server.userNamespace,
      signal: req.signal,
      log: req.log,
      progress: (p) => req.progress(60 + Math.round(p * 0.4)),
    });
    // The source's own record of how it was built and how its init runs (not re-guessed from the tree).
    recordPopulateResult(paths, cfg, config.buildMethod ?? "template", { distribution: config.distribution, init: { argv: config.initArgv, style: config.initStyle }, ownerBase: 0 });
    const policy = restartPolicy.safeParse(config.restartPolicy);
    if (policy.success) writeRestartPolicy(paths, req.server.name, policy.data);
    req.log(`built ${cfg.name} here: context ${cfg.context}${cfg.uidmap ? `, uids from ${cfg.uidmap.start}` : ""}`);
    return { context: cfg.context, bytes };
  });
}
