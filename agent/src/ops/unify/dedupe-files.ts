/**
 * vunify's sharing step: candidates of one filesystem are grouped by size, then by a
 * SHA-256 of their bytes (read through fds reopened beneath each server's root), and each
 * group of identical files gets its data shared with FIDEDUPERANGE from the first file.
 * The kernel compares the bytes itself under its locks before it shares anything, so a
 * file changed after hashing is reported DIFFERS and left alone; each server can still
 * write its copy later (copy-on-write). Hard links of one inode are never compared.
 */
import crypto from "node:crypto";
import { closeSync, readSync } from "node:fs";
import { setImmediate as yieldLoop } from "node:timers/promises";
import { constants as C, fideduperange, isNativeError } from "@/native";
import { reopenCandidate, type Candidate } from "./scan-servers";

/** What the step did on one filesystem. */
export interface DedupeStats {
  /** Groups of identical files found. */
  groups: number;
  /** Files whose data now comes from their group's first file, and the bytes the kernel shared. */
  files: number;
  bytes: number;
  /** Files hashed. */
  hashed: number;
  /** Files that changed between scan and sharing (left alone). */
  changed: number;
  /** Why the filesystem cannot share, when it cannot (nothing was changed then). */
  unsupported: string | null;
  errors: string[];
}

/** Largest range per FIDEDUPERANGE call, and destinations per call. */
const RANGE = 16 << 20;
const DESTS = 64;

function hashFile(c: Candidate): string | null {
  const fd = reopenCandidate(c);
  if (fd === null) return null;
  try {
    const h = crypto.createHash("sha256");
    const buf = Buffer.allocUnsafe(Math.min(1 << 20, c.size));
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      h.update(n === buf.length ? buf : buf.subarray(0, n));
      pos += n;
    }
    return pos === c.size ? h.digest("hex") : null;
  } finally {
    closeSync(fd);
  }
}

const showPath = (c: Candidate) => `${c.server.name}:/${c.rel.toString("utf8")}`;

/** Shares identical candidates (all on ONE filesystem); `dryRun` only counts what could be shared. */
export async function dedupeCandidates(cands: readonly Candidate[], log: (line: string) => void = () => undefined, dryRun = false): Promise<DedupeStats> {
  const stats: DedupeStats = { groups: 0, files: 0, bytes: 0, hashed: 0, changed: 0, unsupported: null, errors: [] };
  const bySize = new Map<number, Map<bigint, Candidate>>();
  for (const c of cands) {
    let inodes = bySize.get(c.size);
    if (!inodes) bySize.set(c.size, (inodes = new Map()));
    if (!inodes.has(c.ino)) inodes.set(c.ino, c);
  }
  for (const inodes of bySize.values()) {
    if (inodes.size < 2) continue;
    const byHash = new Map<string, Candidate[]>();
    for (const c of inodes.values()) {
      const h = hashFile(c);
      stats.hashed++;
      if (h === null) {
        stats.changed++;
        continue;
      }
      const list = byHash.get(h);
      if (list) list.push(c);
      else byHash.set(h, [c]);
    }
    for (const group of byHash.values()) {
      if (group.length < 2) continue;
      stats.groups++;
      if (dryRun) {
        stats.files += group.length - 1;
        stats.bytes += group[0]!.size * (group.length - 1);
        continue;
      }
      shareGroup(group, stats, log);
      if (stats.unsupported) return stats;
    }
    if (stats.hashed % 256 === 0) await yieldLoop();
  }
  return stats;
}

function shareGroup(group: Candidate[], stats: DedupeStats, log: (line: string) => void): void {
  const [first, ...rest] = group;
  const src = reopenCandidate(first!);
  if (src === null) {
    stats.changed += group.length;
    return;
  }
  const dests: { c: Candidate; fd: number; same: boolean }[] = [];
  try {
    for (const c of rest) {
      const fd = reopenCandidate(c);
      if (fd === null) stats.changed++;
      else dests.push({ c, fd, same: true });
    }
    const size = first!.size;
    for (let off = 0; off < size; off += RANGE) {
      const len = Math.min(RANGE, size - off);
      const live = dests.filter((d) => d.same);
      for (let i = 0; i < live.length; i += DESTS) {
        const batch = live.slice(i, i + DESTS);
        let results;
        try {
          results = fideduperange(src, off, len, batch.map((d) => ({ fd: d.fd, offset: off })));
        } catch (e) {
          if (["EOPNOTSUPP", "EINVAL", "ENOTTY", "EXDEV"].some((c) => isNativeError(e, c))) {
            stats.unsupported = `FIDEDUPERANGE failed with ${(e as { code: string }).code} on ${showPath(first!)}: this filesystem cannot share file data`;
            return;
          }
          stats.errors.push(`${showPath(first!)}: ${(e as Error).message}`);
          for (const d of batch) d.same = false;
          continue;
        }
        results.forEach((r, k) => {
          const d = batch[k]!;
          if (r.status === C.FILE_DEDUPE_RANGE_SAME) stats.bytes += r.bytesDeduped;
          else {
            d.same = false;
            if (r.status === C.FILE_DEDUPE_RANGE_DIFFERS) stats.changed++;
            else if (stats.errors.length < 100) stats.errors.push(`${showPath(d.c)}: errno ${-r.status}`);
          }
        });
      }
    }
    const shared = dests.filter((d) => d.same).length;
    stats.files += shared;
    if (shared && size >= 64 << 20) log(`shared ${showPath(first!)} with ${shared} others (${size} bytes each)`);
  } finally {
    closeSync(src);
    for (const d of dests) closeSync(d.fd);
  }
}
