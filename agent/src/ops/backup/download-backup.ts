/**
 * The download of a file or directory of a snapshot (the streamed route in
 * http/backup-download.ts): read from the repository only (`restic dump`), nothing on
 * the host or in a guest is touched. A file's bytes as they are; a directory as a tar
 * (restic's, links as links) compressed with zstd. A path through a symlink of the
 * snapshot does not exist in it (restic's tree has nothing under a link): NOT_FOUND.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import type { Writable } from "node:stream";
import { z } from "zod";
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { runRestic } from "../../kernel/backup/run-restic";
import { snapshotPath } from "./browse-backup";
import type { SnapshotRequest } from "./delete-backup";
import { openRepository } from "./repository";
import { findSnapshot, rootPathOf } from "./snapshots";

/** A download ready to stream. */
export interface PreparedDownload {
  kind: "file" | "dir";
  /** A file name for the caller (the entry's base name; `.tar.zst` for a directory). */
  filename: string;
  /** Bytes of a file (null for a directory). */
  size: number | null;
  /** Writes the bytes to `out`; rejects when restic or zstd fail. */
  pipeTo(out: Writable): Promise<void>;
}

const node = z.object({ struct_type: z.literal("node"), type: z.string(), path: z.string(), size: z.number().optional() });

/** Looks the entry up (refusing what cannot be downloaded) before anything is sent. */
export async function prepareDownload(paths: HostPaths, ref: SnapshotRequest, guestPath: string): Promise<PreparedDownload> {
  const repo = await openRepository(paths, ref.target);
  const snap = await findSnapshot(repo, ref, paths);
  const rootPath = rootPathOf(snap);
  const full = snapshotPath(rootPath, guestPath);
  let type = full === rootPath ? "dir" : "";
  let size: number | null = null;
  const listed = await runRestic(repo, ["ls", "--json", "--no-lock", snap.id, full]);
  for (const line of listed.stdout.split("\n")) {
    if (!line.trim()) continue;
    const n = node.safeParse(JSON.parse(line));
    if (n.success && n.data.path === full) {
      type = n.data.type;
      size = n.data.size ?? 0;
    }
  }
  if (!type) throw new AgentFailure("NOT_FOUND", `no ${guestPath} in snapshot ${snap.short_id}`, "path");
  if (type !== "file" && type !== "dir") throw new AgentFailure("BAD_REQUEST", `${guestPath} is a ${type}: only files and directories can be downloaded`, "path");
  const base = full === rootPath ? ref.name : path.posix.basename(full);
  if (type === "file") {
    return { kind: "file", filename: base, size, pipeTo: (out) => runRestic(repo, ["dump", "--no-lock", snap.id, full], { stdout: out }).then(() => undefined) };
  }
  return {
    kind: "dir",
    filename: `${base}.tar.zst`,
    size: null,
    pipeTo: (out) =>
      new Promise<void>((resolve, reject) => {
        const zstd = spawn("zstd", ["-q", "-c", "-3", "-T0"], { stdio: ["pipe", "pipe", "ignore"] });
        zstd.stdout.pipe(out, { end: false });
        const dumped = runRestic(repo, ["dump", "--no-lock", snap.id, full], { stdout: zstd.stdin });
        const zipped = new Promise<void>((res, rej) => zstd.on("close", (code) => (code === 0 ? res() : rej(new AgentFailure("KERNEL", `zstd exited ${code}`)))));
        dumped.catch((e: unknown) => {
          zstd.kill("SIGKILL");
          reject(e);
        });
        Promise.all([dumped, zipped]).then(() => resolve(), reject);
      }),
  };
}
