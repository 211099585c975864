/**
 * The source side of an offline transfer: the STOPPED server's root archived under its
 * lock (so it cannot start meanwhile) exactly as a template export does (walked by fds,
 * owners made 0-based from a shifted range, xattrs kept), zstd-compressed when the host
 * has zstd; then sent with its sha256 and the host configuration that travels with it.
 */
import crypto from "node:crypto";
import { closeSync, createReadStream } from "node:fs";
import fs from "node:fs";
import type http from "node:http";
import { pipeline } from "node:stream/promises";
import { transferHeaders, type transferConfig } from "@/lib/protocol/migration-operations";
import type { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readRestartPolicy } from "../../config/vserver/restart-policy-file";
import { withServerLock } from "../locks";
import { batched, openArchiveWriter } from "../templates/archive-io";
import { openStoppedRoot } from "../templates/export-vserver";
import { writeTreeTar } from "../templates/write-tree-tar";
import { readTreeXattrs } from "../templates/xattrs";
import { hasZstd, transferFile, withStagedFile } from "./transfer-files";
import { log } from "../../http/log";

/** Archives the stopped server `name` into `file`; returns the host configuration that travels with it. */
async function archiveStopped(paths: HostPaths, name: string, file: string): Promise<z.infer<typeof transferConfig>> {
  return withServerLock(paths, name, async () => {
    const cfg = readVserverConfig(paths, name);
    const src = await openStoppedRoot(paths, name, "a server moves to another host while stopped");
    try {
      const writer = openArchiveWriter(file);
      try {
        const out = batched((b) => writer.write(b));
        await writeTreeTar(src.fd, out.write, {
          xattrs: await readTreeXattrs(src.fd),
          ...(src.ownerBase ? { idShift: { from: src.ownerBase, to: 0, count: src.idCount } } : {}),
          onSkip: (rel, why) => log("warn", "transfer: left out", { name, path: rel.toString("utf8"), why }),
        });
        await out.flush();
        await writer.close();
      } catch (e) {
        await writer.abort();
        throw e;
      }
      return { domainname: cfg.domainname, nameservers: cfg.nameservers, restartPolicy: readRestartPolicy(paths, name), distribution: cfg.distribution, buildMethod: cfg.buildMethod, initArgv: cfg.initArgv, initStyle: cfg.initStyle };
    } finally {
      closeSync(src.fd);
    }
  });
}

async function sha256Of(file: string): Promise<string> {
  const h = crypto.createHash("sha256");
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** Answers a granted transfer request with the archive of `name` (ticket `id`). */
export async function sendTransfer(paths: HostPaths, id: string, name: string, res: http.ServerResponse): Promise<void> {
  const zstd = hasZstd();
  const file = transferFile(paths, "out", id, zstd);
  await withStagedFile(file, async () => {
    const config = await archiveStopped(paths, name, file);
    const size = fs.statSync(file).size;
    const sum = await sha256Of(file);
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": size,
      "cache-control": "no-store",
      [transferHeaders.encoding]: zstd ? "zstd" : "none",
      [transferHeaders.sha256]: sum,
      [transferHeaders.config]: Buffer.from(JSON.stringify(config)).toString("base64url"),
    });
    // pipeline also ends at once when the target went away while the archive was made.
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), res);
    log("info", "transfer sent", { name, bytes: size });
  });
}
