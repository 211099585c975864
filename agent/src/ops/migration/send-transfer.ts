/**
 * The source side of a transfer: the round's archive (archive-round.ts: the stopped
 * server's whole root under its lock, or a pre-copy round of a running one),
 * zstd-compressed when the host has zstd, made by the ticket's first request; then sent
 * with its sha256 and the host configuration that travels with it. The archive stays
 * staged until it was sent whole (or its ticket expired), so a target whose stream was
 * cut asks for the rest (`Range`) instead of starting over.
 */
import crypto from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs";
import type http from "node:http";
import { pipeline } from "node:stream/promises";
import { transferHeaders, type transferConfig } from "@/lib/protocol/migration-operations";
import type { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { hasZstd, holdStagedFile, transferFile } from "./transfer-files";
import { completeTicket, offeredRound, ticketExpiry } from "./transfer-tickets";
import { archiveRound } from "./archive-round";
import { dropHistory, stageHistoryFor } from "./send-history";
import { AgentFailure } from "../../errors";
import { log } from "../../http/log";

async function sha256Of(file: string): Promise<string> {
  const h = crypto.createHash("sha256");
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** The archive made for one ticket, kept until it was sent whole or the ticket expires. */
interface Prepared {
  file: string;
  size: number;
  sha256: string;
  config: z.infer<typeof transferConfig>;
  zstd: boolean;
  /** Removes the staged file. */
  release: () => void;
  /** The response sending it now (a resume replaces a stream the target gave up on). */
  current: http.ServerResponse | null;
}

const prepared = new Map<string, Promise<Prepared>>();

/** The key of ticket `id`'s archive (tickets are per host: several agents share a process in tests). */
const archiveKey = (paths: HostPaths, id: string) => `${paths.runDir}\0${id}`;

/** How long an unfinished archive is kept when its ticket's expiry is not known (the ticket's own expiry otherwise). */
const defaultKeepMs = 10 * 60_000;

async function prepare(paths: HostPaths, id: string, name: string): Promise<Prepared> {
  const zstd = hasZstd();
  const file = transferFile(paths, "out", id, zstd);
  const release = holdStagedFile(file);
  try {
    const round = offeredRound(paths, id);
    if (!round) throw new AgentFailure("CONFLICT", "the transfer was withdrawn");
    const started = Date.now();
    const { config, counts } = await archiveRound(paths, name, file, round);
    // The round that moves the stopped server carries its history too (pulled after it).
    if (!round.live) await stageHistoryFor(paths, id, name, file);
    const size = fs.statSync(file).size;
    log("info", "transfer round archived", { name, ...round, entries: counts.entries, dataBytes: counts.bytes, removed: counts.removed, archiveBytes: size, ms: Date.now() - started });
    return { file, size, sha256: await sha256Of(file), config, zstd, release, current: null };
  } catch (e) {
    release();
    throw e;
  }
}

/** The archive of ticket `id`: made by its first request (a request that resumes waits for it). */
function archiveFor(paths: HostPaths, id: string, name: string, first: boolean): Promise<Prepared> {
  const key = archiveKey(paths, id);
  const made = prepared.get(key);
  if (made) return made;
  if (!first) return Promise.reject(new AgentFailure("CONFLICT", "nothing is left to resume under this ticket (its archive is gone); the move starts over with a new one"));
  const p = prepare(paths, id, name);
  prepared.set(key, p);
  p.catch(() => prepared.delete(key));
  // Whatever happens to the target, the archive goes when the ticket can no longer open it.
  const keep = Math.max(0, (ticketExpiry(paths, id) ?? Date.now() + defaultKeepMs) - Date.now()) + 1000;
  setTimeout(() => {
    if (prepared.get(key) !== p) return;
    prepared.delete(key);
    void p.then((a) => a.release(), () => undefined);
  }, keep).unref();
  return p;
}

/** What a transfer request asks for: the first request of its ticket or not, and from which byte (a `Range` request). */
export interface TransferRequest {
  first: boolean;
  /** The first byte wanted, when the request had a Range header; else null (the whole archive, 200). */
  from: number | null;
}

/**
 * Answers a granted transfer request of `name` (ticket `id`): the whole archive (200), or
 * from a byte on (206, `Content-Range`), with the whole archive's length, sha256 and
 * configuration in the headers either way. Once the archive was sent whole it is removed
 * and the ticket is spent.
 */
export async function sendTransfer(paths: HostPaths, id: string, name: string, res: http.ServerResponse, want: TransferRequest): Promise<void> {
  const a = await archiveFor(paths, id, name, want.first);
  const from = want.from ?? 0;
  if (from > a.size) throw new AgentFailure("BAD_REQUEST", `the archive has ${a.size} bytes; byte ${from} was asked for`, "range");
  a.current?.destroy();
  a.current = res;
  res.writeHead(want.from === null ? 200 : 206, {
    "content-type": "application/octet-stream",
    "content-length": a.size - from,
    ...(want.from === null ? {} : { "content-range": `bytes ${from}-${a.size - 1}/${a.size}` }),
    "accept-ranges": "bytes",
    "cache-control": "no-store",
    [transferHeaders.encoding]: a.zstd ? "zstd" : "none",
    [transferHeaders.sha256]: a.sha256,
    [transferHeaders.config]: Buffer.from(JSON.stringify(a.config)).toString("base64url"),
  });
  // pipeline also ends at once when the target went away meanwhile.
  if (from < a.size) await pipeline(createReadStream(a.file, { start: from, highWaterMark: 1 << 20 }), res);
  else res.end();
  if (a.current === res) a.current = null;
  completeTicket(paths, id);
  prepared.delete(archiveKey(paths, id));
  a.release();
  log("info", "transfer sent", { name, bytes: a.size - from, ...(from ? { resumedFrom: from } : {}) });
}

/** Drops ticket `id`'s archive, made or being made (and its staged history): a stream sending it is cut, the staged files removed. */
export function dropArchive(paths: HostPaths, id: string): void {
  dropHistory(paths, id);
  const key = archiveKey(paths, id);
  const p = prepared.get(key);
  if (!p) return;
  prepared.delete(key);
  void p.then(
    (a) => {
      a.current?.destroy();
      a.release();
    },
    () => undefined,
  );
}
