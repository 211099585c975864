/**
 * The source side of a moved server's usage history (issue 16): when the round that
 * moves the stopped server is archived (the offline move's only round, a pre-copy
 * move's last), its round-robin file is staged beside the archive (stage-server-history.ts)
 * and kept for the ticket: the target pulls it once after the round,
 * `GET /transfer/<ticket id>/history?server=<name>` with the ticket's secret, with its
 * sha256 in a header. It goes once sent whole, when the offer is withdrawn, or at the
 * ticket's expiry. A live round has none (the server still writes it).
 */
import crypto from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { transferHeaders } from "@/lib/protocol/migration-operations";
import type { HostPaths } from "../../config/paths";
import { log } from "../../http/log";
import { stageServerHistory } from "../history/stage-server-history";
import { holdStagedFile } from "./transfer-files";
import { ticketExpiry } from "./transfer-tickets";

interface StagedHistory {
  file: string;
  sha256: string;
  size: number;
  release: () => void;
}

const staged = new Map<string, StagedHistory>();

const key = (paths: HostPaths, id: string) => `${paths.runDir}\0${id}`;

/** Stages `name`'s history for ticket `id` beside `archive` (its staging file); nothing when the server has none. */
export async function stageHistoryFor(paths: HostPaths, id: string, name: string, archive: string): Promise<void> {
  dropHistory(paths, id);
  const file = path.join(path.dirname(archive), `.${path.basename(archive)}.history.rrd`);
  const release = holdStagedFile(file);
  try {
    if (!(await stageServerHistory(paths, name, file))) return release();
    const data = fs.readFileSync(file);
    const entry = { file, sha256: crypto.createHash("sha256").update(data).digest("hex"), size: data.length, release };
    staged.set(key(paths, id), entry);
    setTimeout(() => {
      if (staged.get(key(paths, id)) === entry) dropHistory(paths, id);
    }, Math.max(0, (ticketExpiry(paths, id) ?? Date.now()) - Date.now()) + 1000).unref();
  } catch (e) {
    release();
    log("warn", "transfer: the server's history could not be staged; it does not move", { name, error: String((e as Error).message) });
  }
}

/** Whether ticket `id` has a staged history. */
export function hasHistory(paths: HostPaths, id: string): boolean {
  return staged.has(key(paths, id));
}

/** Sends ticket `id`'s staged history (the caller checked the ticket); removed once sent whole. */
export async function sendHistory(paths: HostPaths, id: string, res: http.ServerResponse): Promise<void> {
  const h = staged.get(key(paths, id))!;
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": h.size, "cache-control": "no-store", [transferHeaders.sha256]: h.sha256 });
  await pipeline(createReadStream(h.file), res);
  dropHistory(paths, id);
}

/** Drops ticket `id`'s staged history, if any. */
export function dropHistory(paths: HostPaths, id: string): void {
  const h = staged.get(key(paths, id));
  if (!h) return;
  staged.delete(key(paths, id));
  h.release();
}
