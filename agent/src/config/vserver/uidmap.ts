/**
 * A server's uid/gid range (`uidmap/`): the host ids its user namespace maps guest ids
 * 0..count-1 to, one range for uids and gids alike.
 *
 *   uidmap/start    first host id (a multiple of 65536, at or above UID_RANGE_BASE)
 *   uidmap/count    how many ids (65536: guest ids up to nobody 65534 and 65535)
 *   uidmap/shifted  present when the root's ownership on disk was shifted by `start`
 *                   (its filesystem has no idmapped mounts); holds that offset
 *
 * No `uidmap/` is the shared-uid mode: guest ids are host ids, as util-vserver had it
 * (and as every server built before this existed still runs).
 */
import { badConfig, readValue, removeConfigPath, writeValue } from "./value-files";
import { configFiles } from "./layout";
import type { HostPaths } from "../paths";

/** A server's range. */
export interface UidMap {
  start: number;
  count: number;
  /** The root's files are owned by start+id on disk (no idmapped mount at start). */
  shifted: boolean;
}

/** Ids per server: 0..65535, so nobody/nogroup (65534) exists inside. */
export const UID_RANGE_SIZE = 65536;
/** New ranges start here (above the ids hosts give their users and /etc/subuid's
 * usual 100000.. ranges, which the allocator skips anyway). */
export const UID_RANGE_BASE = 1 << 20;
/** Ranges end below 2^31: some tools still treat ids as signed. */
export const UID_RANGE_LIMIT = 2 ** 31;

/** The files of `uidmap/`. */
export function uidmapFiles(paths: HostPaths, name: string): { dir: string; start: string; count: string; shifted: string } {
  const dir = `${configFiles(paths, name).dir}/uidmap`;
  return { dir, start: `${dir}/start`, count: `${dir}/count`, shifted: `${dir}/shifted` };
}

function readId(file: string, min: number, max: number): number | undefined {
  const v = readValue(file);
  if (v === undefined) return undefined;
  if (!/^\d{1,10}$/.test(v) || Number(v) < min || Number(v) > max) throw badConfig(file, `"${v}" is not a number from ${min} to ${max}`);
  return Number(v);
}

/** Reads `uidmap/`; null for the shared-uid mode. Errors name the file. */
export function readUidMap(paths: HostPaths, name: string): UidMap | null {
  const f = uidmapFiles(paths, name);
  const start = readId(f.start, 1, UID_RANGE_LIMIT - 1);
  const count = readId(f.count, 1, UID_RANGE_LIMIT);
  const shifted = readId(f.shifted, 1, UID_RANGE_LIMIT - 1);
  if (start === undefined) {
    if (count !== undefined || shifted !== undefined) throw badConfig(f.start, "missing (uidmap/ has other files)");
    return null;
  }
  // Only starts the allocator gives: anything lower maps guest ids onto host accounts.
  if (start < UID_RANGE_BASE || start % UID_RANGE_SIZE !== 0) throw badConfig(f.start, `"${start}" is not a multiple of ${UID_RANGE_SIZE} from ${UID_RANGE_BASE}`);
  if (count === undefined) throw badConfig(f.count, "missing");
  if (start + count > UID_RANGE_LIMIT) throw badConfig(f.count, `the range ${start}+${count} passes ${UID_RANGE_LIMIT}`);
  if (shifted !== undefined && shifted !== start) throw badConfig(f.shifted, `the root was shifted by ${shifted}, but start is ${start}`);
  return { start, count, shifted: shifted !== undefined };
}

/** Writes `uidmap/` (null removes it: the shared-uid mode). */
export function writeUidMap(paths: HostPaths, name: string, map: UidMap | null): void {
  const f = uidmapFiles(paths, name);
  if (map === null) return removeConfigPath(f.dir);
  writeValue(f.start, String(map.start));
  writeValue(f.count, String(map.count));
  if (map.shifted) writeValue(f.shifted, String(map.start));
  else removeConfigPath(f.shifted);
}
