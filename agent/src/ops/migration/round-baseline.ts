/**
 * What the previous transfer round of a server held (pre-copy, issue 16): when its walk
 * began (this host's clock) and every entry it met, as inode and path. A round that
 * sends only what changed takes the entries changed since that walk began (ctime, which
 * no guest can set back) and the entries whose path is new or names another inode (a
 * rename or hard link leaves the moved entries' ctime alone); the entries of the
 * baseline that are gone are the paths the target removes. Kept in memory only: an
 * agent restart loses it, and the move starts over with a whole round. A record goes
 * when its move withdraws its offers, or an hour after its round (a move that ended
 * while this agent could not be told).
 */
import type { HostPaths } from "../../config/paths";

/** One round's record. */
export interface RoundBaseline {
  /** When the walk began, ms since the epoch (this host's clock). */
  walkStartMs: number;
  /** `<inode>:<path as latin1>` of every entry met. */
  entries: Set<string>;
}

const baselines = new Map<string, RoundBaseline>();

/** How long a round's record is kept (far longer than the pause between two rounds of one move). */
const keepMs = 60 * 60_000;

/** Several agents share a process in tests: the key holds the host's run directory. */
const key = (paths: HostPaths, name: string) => `${paths.runDir}\0${name}`;

/** The entry key of inode `ino` at path `rel`. */
export const entryKey = (ino: bigint, rel: Buffer) => `${ino}:${rel.toString("latin1")}`;

/** The path of entry key `k`. */
export const entryPath = (k: string) => Buffer.from(k.slice(k.indexOf(":") + 1), "latin1");

/** The baseline of `name`'s previous round, or null. */
export function baselineOf(paths: HostPaths, name: string): RoundBaseline | null {
  const b = baselines.get(key(paths, name));
  return b && b.walkStartMs > Date.now() - keepMs ? b : null;
}

/** Records `b` as `name`'s latest round. */
export function setBaseline(paths: HostPaths, name: string, b: RoundBaseline): void {
  for (const [k, old] of baselines) if (old.walkStartMs <= Date.now() - keepMs) baselines.delete(k);
  baselines.set(key(paths, name), b);
}

/** Forgets `name`'s rounds (its move ended, failed or starts over). */
export function dropBaseline(paths: HostPaths, name: string): void {
  baselines.delete(key(paths, name));
}

/**
 * Slack subtracted from the walk's start: ctime comes from the kernel's coarse clock,
 * which lags Date.now() by up to a tick, and filesystems that keep whole seconds (ext4
 * with 128-byte inodes, as small images may be made) round it down by up to a second.
 * Entries changed in the second before a round began are sent again by the next.
 */
export const ctimeSlackMs = 1000;
