/**
 * Snapshots of servers in a target's repository. Each carries restic tags naming its
 * server (`vs-name=`), the panel's owner id (`vs-owner=`), how its point-in-time view
 * was made and how long the server was frozen; the figures restic reports at the end of
 * a backup (added bytes, total, files, duration) and the panel's note are kept beside
 * it on the host, keyed by the snapshot id (restic cannot add them to a snapshot without
 * changing its id). A snapshot named together with another server or owner is
 * "not found": nothing of it is read.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { BackupSnapshot } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { readJsonRecord, writeAtomic } from "../../config/vserver/value-files";
import { AgentFailure } from "../../errors";
import { runRestic, type ResticRepo } from "../../kernel/backup/run-restic";
import { localRepositoryDir } from "./repository";
import { targetDir } from "./target-store";

/** One entry of `restic snapshots --json`. */
export const resticSnapshot = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  short_id: z.string(),
  time: z.string(),
  paths: z.array(z.string()),
  tags: z.array(z.string()).nullable().optional(),
});

/** Parsed form of {@link resticSnapshot}. */
export type ResticSnapshot = z.infer<typeof resticSnapshot>;

const figures = z.object({
  addedBytes: z.number(),
  totalBytes: z.number(),
  files: z.number(),
  durationMs: z.number(),
  note: z.string(),
  /** What restic wrote into the snapshot (time, paths, tags), so a local one is found without running restic. */
  snapshot: resticSnapshot.pick({ time: true, paths: true, tags: true }).optional(),
});

/** The figures kept beside a snapshot. */
export type SnapshotFigures = z.infer<typeof figures>;

/** The tags of a server's snapshot. */
export function ownerTags(name: string, owner: string): string[] {
  return [`vs-name=${name}`, `vs-owner=${owner}`];
}

/** The value of tag `key=` on a snapshot, or undefined. */
export function tagValue(s: ResticSnapshot, key: string): string | undefined {
  const t = (s.tags ?? []).find((x) => x.startsWith(`${key}=`));
  return t === undefined ? undefined : t.slice(key.length + 1);
}

/** Snapshots of the repository, all of them or those of one server (name and owner). */
export async function resticSnapshots(repo: ResticRepo, filter: { name?: string; owner?: string } = {}): Promise<ResticSnapshot[]> {
  const tags = [filter.name && `vs-name=${filter.name}`, filter.owner && `vs-owner=${filter.owner}`].filter(Boolean).join(",");
  const r = await runRestic(repo, ["snapshots", "--json", "--no-lock", ...(tags ? ["--tag", tags] : [])]);
  const list = z.array(resticSnapshot).parse(JSON.parse(r.stdout || "[]"));
  // Only our snapshots (tagged with a server); sorted oldest first.
  return list.filter((s) => tagValue(s, "vs-name") && tagValue(s, "vs-owner")).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/**
 * The full id of the snapshot restic reported by its short id, read from a local
 * repository's `snapshots/` directory (a file per snapshot, named by its id) without
 * running restic; null when the repository is not local or the prefix is not one file.
 */
export function localSnapshotId(repoDir: string | null, shortId: string): string | null {
  if (!repoDir || !/^[0-9a-f]{8,64}$/.test(shortId)) return null;
  let names: string[];
  try {
    names = fs.readdirSync(path.join(repoDir, "snapshots"));
  } catch {
    return null;
  }
  const hits = names.filter((n) => n.startsWith(shortId) && /^[0-9a-f]{64}$/.test(n));
  return hits.length === 1 ? hits[0]! : null;
}

/**
 * The snapshot `id` (full or short) of server `name` owned by `owner`; NOT_FOUND otherwise.
 * With `paths`, a snapshot of a local repository that this host made is found by its file
 * in `snapshots/` and the record kept beside it (its tags as restic holds them), without
 * a restic run; anything else is asked of restic.
 */
export async function findSnapshot(repo: ResticRepo, ref: { target: string; name: string; owner: string; snapshot: string }, paths?: HostPaths): Promise<ResticSnapshot> {
  const id = paths ? localSnapshotId(localRepositoryDir(repo), ref.snapshot) : null;
  const kept = id && paths ? readJsonRecord(recordFile(paths, ref.target, id), figures)?.snapshot : undefined;
  if (id && kept) {
    const s: ResticSnapshot = { id, short_id: id.slice(0, 8), ...kept };
    if (tagValue(s, "vs-name") === ref.name && tagValue(s, "vs-owner") === ref.owner) return s;
    throw new AgentFailure("NOT_FOUND", `no snapshot ${ref.snapshot} of "${ref.name}"`, "snapshot");
  }
  const mine = await resticSnapshots(repo, { name: ref.name, owner: ref.owner });
  const hit = mine.filter((s) => s.id.startsWith(ref.snapshot) && tagValue(s, "vs-name") === ref.name && tagValue(s, "vs-owner") === ref.owner);
  if (hit.length !== 1) throw new AgentFailure("NOT_FOUND", `no snapshot ${ref.snapshot} of "${ref.name}"`, "snapshot");
  return hit[0]!;
}

/** The snapshot's path of the server root (the view's `root`). */
export function rootPathOf(s: ResticSnapshot): string {
  const p = s.paths.find((x) => x.endsWith("/root"));
  if (!p) throw new AgentFailure("INTERNAL", `snapshot ${s.short_id} holds no server root`);
  return p;
}

/** The snapshot's path of the host side (configuration and panel record). */
export function hostPathOf(s: ResticSnapshot): string | undefined {
  return s.paths.find((x) => x.endsWith("/host"));
}

function recordFile(paths: HostPaths, target: string, id: string): string {
  return path.join(targetDir(paths, target), "records", `${id}.json`);
}

/** Keeps a backup's figures. */
export function writeFigures(paths: HostPaths, target: string, id: string, f: SnapshotFigures): void {
  fs.mkdirSync(path.dirname(recordFile(paths, target, id)), { recursive: true, mode: 0o700 });
  writeAtomic(recordFile(paths, target, id), JSON.stringify(f), 0o600);
}

/** Drops a forgotten snapshot's figures. */
export function removeFigures(paths: HostPaths, target: string, id: string): void {
  fs.rmSync(recordFile(paths, target, id), { force: true });
}

/** The wire form of a snapshot (figures 0 when this host did not make it). */
export function toWire(paths: HostPaths, target: string, s: ResticSnapshot): BackupSnapshot {
  const f = readJsonRecord(recordFile(paths, target, s.id), figures);
  const freeze = tagValue(s, "vs-freeze-ms");
  const consistency = tagValue(s, "vs-consistency");
  return {
    id: s.id,
    shortId: s.id.slice(0, 8),
    target,
    name: tagValue(s, "vs-name")!,
    owner: tagValue(s, "vs-owner")!,
    time: s.time,
    addedBytes: f?.addedBytes ?? 0,
    totalBytes: f?.totalBytes ?? 0,
    files: f?.files ?? 0,
    durationMs: f?.durationMs ?? 0,
    freezeMs: freeze !== undefined && /^\d+$/.test(freeze) ? Number(freeze) : null,
    consistency: consistency === "reflink" || consistency === "fs-snapshot" || consistency === "stopped" ? consistency : "none",
    note: f?.note ?? "",
  };
}
