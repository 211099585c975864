/**
 * The target side of a moved server's usage history (issue 16): after a round, the
 * target asks the source for the history that travels with it (send-history.ts; TLS
 * pinned to the source's certificate, the ticket's secret), checks its length and
 * sha256, and puts it in place of what this host began for the server
 * (import-server-history.ts). The history is worth keeping, not worth failing a move
 * for: any failure is logged and the move goes on with the history this host keeps.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { transferHeaders } from "@/lib/protocol/migration-operations";
import type { HostPaths } from "../../config/paths";
import { importServerHistory } from "../history/import-server-history";
import { getFromSource, type PullRequest } from "./pull-transfer";
import { transferFile, withStagedFile } from "./transfer-files";

/** A history larger than this is refused (a server's file is ~3 MB). */
const maxHistoryBytes = 64 << 20;

/** Fetches the history into `file`; false when the source has none for this round (404). */
async function fetchHistory(req: PullRequest, file: string): Promise<boolean> {
  const res = await getFromSource(req, `/transfer/${req.ticket.id}/history?server=${req.ticket.serverName}`, {}, 60_000, {
    silent: () => new Error("the source sent nothing for 60 s"),
    unreachable: (e) => e,
  });
  if (res.statusCode === 404) {
    res.resume();
    return false;
  }
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`the source answered ${res.statusCode}`);
  }
  const expected = String(res.headers[transferHeaders.sha256] ?? "");
  const length = Number(res.headers["content-length"] ?? NaN);
  if (!/^[0-9a-f]{64}$/.test(expected) || !Number.isSafeInteger(length) || length > maxHistoryBytes) {
    res.destroy();
    throw new Error("the source's answer lacks its checksum or length, or is too large");
  }
  const hash = crypto.createHash("sha256");
  const parts: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res) {
    const b = chunk as Buffer;
    bytes += b.length;
    if (bytes > length) throw new Error("the source sent more than it announced");
    hash.update(b);
    parts.push(b);
  }
  if (bytes !== length) throw new Error(`the stream ended after ${bytes} of ${length} bytes`);
  if (hash.digest("hex") !== expected) throw new Error("checksum mismatch");
  fs.writeFileSync(file, Buffer.concat(parts), { mode: 0o600, flag: "wx" });
  return true;
}

/** Takes the history that travels with the round of `req`, for server `name`; logs what happened, never throws. */
export async function pullHistory(paths: HostPaths, req: PullRequest, name: string): Promise<void> {
  const file = `${transferFile(paths, "in", req.ticket.id, true)}.history.rrd`;
  try {
    await withStagedFile(file, async () => {
      if (!(await fetchHistory(req, file))) return;
      await importServerHistory(paths, name, file);
      req.log("the server's usage history came with it");
    });
  } catch (e) {
    req.log(`the usage history did not come with it (${(e as Error).message}); this host's history of it starts now`);
  }
}
