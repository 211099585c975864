/**
 * browseBackup: the entries of one directory of a snapshot's root, read from the
 * repository (`restic ls --json`): nothing on the host or in the guest is touched, and
 * a symlink in the snapshot is an entry, never followed (restic's tree has no subtree
 * under a link, so a path through one is "not found").
 */
import path from "node:path";
import { z } from "zod";
import type { SnapshotEntry } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { runRestic } from "../../kernel/backup/run-restic";
import type { SnapshotRequest } from "./delete-backup";
import { openRepository } from "./repository";
import { findSnapshot, rootPathOf } from "./snapshots";

const node = z.object({
  struct_type: z.literal("node"),
  name: z.string(),
  type: z.string(),
  path: z.string(),
  size: z.number().optional(),
  mode: z.number().optional(),
  mtime: z.string().optional(),
  linktarget: z.string().optional(),
});

const TYPES: Record<string, SnapshotEntry["type"]> = { file: "file", dir: "dir", symlink: "symlink", dev: "dev", chardev: "dev", fifo: "fifo", socket: "socket" };

/** Go's os.FileMode bits as a Unix mode's permission and set-id bits. */
export function unixMode(goMode: number): number {
  const perm = goMode & 0o777;
  const bit = (n: number) => Math.floor(goMode / 2 ** n) % 2 === 1;
  return perm | (bit(23) ? 0o4000 : 0) | (bit(22) ? 0o2000 : 0) | (bit(20) ? 0o1000 : 0);
}

/** The guest path as the snapshot's full path (`/` is the root itself). */
export function snapshotPath(rootPath: string, guestPath: string): string {
  const norm = path.posix.normalize(guestPath);
  return norm === "/" ? rootPath : `${rootPath}${norm.replace(/\/+$/, "")}`;
}

/** Lists directory `dir` (a guest path) of a snapshot. */
export async function browseBackup(paths: HostPaths, ref: SnapshotRequest, dir: string): Promise<{ path: string; entries: SnapshotEntry[] }> {
  const repo = await openRepository(paths, ref.target);
  const snap = await findSnapshot(repo, ref, paths);
  const rootPath = rootPathOf(snap);
  const full = snapshotPath(rootPath, dir);
  const r = await runRestic(repo, ["ls", "--json", "--no-lock", snap.id, full]);
  const entries: SnapshotEntry[] = [];
  let found = full === rootPath;
  for (const line of r.stdout.split("\n")) {
    if (!line.trim()) continue;
    const n = node.safeParse(JSON.parse(line));
    if (!n.success) continue;
    if (n.data.path === full) found = n.data.type === "dir";
    if (path.posix.dirname(n.data.path) !== full) continue;
    entries.push({
      name: n.data.name,
      path: n.data.path.slice(rootPath.length) || "/",
      type: TYPES[n.data.type] ?? "other",
      size: n.data.size ?? 0,
      mode: unixMode(n.data.mode ?? 0),
      mtime: n.data.mtime ?? "",
      linkTarget: n.data.type === "symlink" ? (n.data.linktarget ?? null) : null,
    });
  }
  if (!found) throw new AgentFailure("NOT_FOUND", `no directory ${dir} in snapshot ${snap.short_id}`, "path");
  return { path: path.posix.normalize(dir), entries: entries.sort((a, b) => a.name.localeCompare(b.name)) };
}
