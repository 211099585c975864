/**
 * Makes a populated root fit how its server maps ids. With a user namespace the root
 * stays owned by 0.. on disk whenever its filesystem takes idmapped mounts (ext4, XFS,
 * btrfs, tmpfs, … on this kernel; also every loop image, which is ext4); otherwise its
 * ownership is shifted once to the server's range (NFS, ramfs and other filesystems
 * without FS_ALLOW_IDMAP) and `uidmap/shifted` says so. A tree that arrives shifted (a
 * copy of a shifted server) is brought to what its new server needs.
 */
import { closeSync } from "node:fs";
import { UID_RANGE_SIZE, type UidMap } from "../../config/vserver/uidmap";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { idmapSupported } from "../../kernel/launch/idmap-probe";
import { shiftOwnership } from "./shift-ownership";

/** Where the tree's ids start now (0 unless it came from a shifted server). */
export interface FitOptions {
  from?: number;
  /** How many ids the tree's range at `from` holds (the old map's count): switching off
   * has no new map to take it from. Default: the new map's count, else 65536. */
  fromCount?: number;
  log?: (line: string) => void;
}

/** Shifts `root` as `map` needs; returns the map (with `shifted` decided). */
export async function fitRootToUidMap(root: string, map: UidMap | null, opts: FitOptions = {}): Promise<UidMap | null> {
  const from = opts.from ?? 0;
  const next = map && !idmapSupported(root) ? { ...map, shifted: true } : map && { ...map, shifted: false };
  const to = next?.shifted ? next.start : 0;
  if (from !== to) {
    const fd = openGuestRoot(root);
    try {
      const c = await shiftOwnership(fd, { from, to, count: opts.fromCount ?? map?.count ?? UID_RANGE_SIZE });
      const why = to !== 0 ? "this filesystem has no idmapped mounts" : "the tree came from a shifted server";
      // Skipped entries (other filesystems, changed or gone during the walk) keep their old ids: the admin must know.
      opts.log?.(`ids moved from base ${from} to ${to} (${why}): ${c.shifted} entries, ${c.xattrs} capabilities/ACLs, ${c.outside} outside the range left alone, ${c.skipped} skipped (mount points, changed during the walk)`);
    } finally {
      closeSync(fd);
    }
  }
  return next;
}
