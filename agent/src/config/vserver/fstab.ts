/**
 * The `fstab` file (fstab(5) syntax): extra mounts of a vserver, targets inside the
 * guest. Two kinds exist, chosen by an admin (never by a guest or a panel user):
 *
 *   /srv/shared  /shared  none   bind,ro   0 0     bind of a HOST path (rbind: `rbind`)
 *   none         /tmp     tmpfs  size=64m  0 0     a fresh tmpfs
 *
 * Options: ro, nosuid, nodev, noexec, noatime, bind, rbind; for tmpfs also size=,
 * mode=, nr_inodes=. Targets are absolute, normalized, and never inside /proc, /sys or
 * /dev (those are the agent's). Bind sources must be absolute normalized host paths;
 * whether they exist is checked by the start helper (a missing one fails the start).
 */
import path from "node:path";
import type { MountEntry, MountFlag } from "../../kernel/launch/spec-types";
import { badConfig, readLines } from "./value-files";

/** One parsed fstab line, as written back. */
export interface FstabEntry {
  source: string;
  target: string;
  type: "bind" | "tmpfs";
  options: string[];
}

const attrOptions = new Set(["ro", "nosuid", "nodev", "noexec", "noatime"]);
const tmpfsValue = /^(size=\d+[kmgKMG%]?|mode=[0-7]{3,4}|nr_inodes=\d+[kmgKMG]?)$/;
const reservedTargets = ["/proc", "/sys", "/dev"];

function isNormalAbsolute(p: string): boolean {
  return p.startsWith("/") && path.posix.normalize(p) === p && !p.includes("\0") && !/\s/.test(p);
}

/** Parses one fstab line; `where` names the file and line for errors. */
export function parseFstabLine(line: string, where: string): FstabEntry {
  const fields = line.split(/\s+/);
  if (fields.length < 4 || fields.length > 6) throw badConfig(where, "expected SOURCE TARGET TYPE OPTIONS [DUMP PASS]");
  const [source, target, fstype, opts] = fields as [string, string, string, string];
  const options = opts === "defaults" ? [] : opts.split(",").filter((o) => o !== "" && o !== "defaults");
  if (!isNormalAbsolute(target) || target === "/") throw badConfig(where, `target "${target}" must be an absolute, normalized path below /`);
  if (reservedTargets.some((r) => target === r || target.startsWith(`${r}/`))) {
    throw badConfig(where, `target "${target}" is inside ${target.split("/").slice(0, 2).join("/")}, which the agent manages`);
  }
  const isBind = fstype === "bind" || options.includes("bind") || options.includes("rbind");
  if (isBind) {
    if (!isNormalAbsolute(source)) throw badConfig(where, `bind source "${source}" must be an absolute, normalized host path`);
    for (const o of options) {
      if (!attrOptions.has(o) && o !== "bind" && o !== "rbind") throw badConfig(where, `option "${o}" is not supported for a bind mount`);
    }
    return { source, target, type: "bind", options };
  }
  if (fstype !== "tmpfs") throw badConfig(where, `type "${fstype}" is not supported (bind mounts and tmpfs only)`);
  for (const o of options) {
    if (!attrOptions.has(o) && !tmpfsValue.test(o)) throw badConfig(where, `option "${o}" is not supported for tmpfs`);
  }
  return { source: "tmpfs", target, type: "tmpfs", options };
}

/** Reads and validates the file. */
export function readFstab(file: string): FstabEntry[] {
  return readLines(file).map((line, i) => parseFstabLine(line, `${file} line ${i + 1}`));
}

/** An entry as an fstab line. */
export function formatFstabLine(e: FstabEntry): string {
  const type = e.type === "bind" ? "none" : "tmpfs";
  return `${e.source} ${e.target} ${type} ${e.options.length ? e.options.join(",") : "defaults"} 0 0`;
}

/** The launch mount entries of an fstab, in file order. */
export function fstabMounts(entries: readonly FstabEntry[]): MountEntry[] {
  return entries.map((e) => {
    const flags = e.options.filter((o) => attrOptions.has(o)) as MountFlag[];
    if (e.type === "bind") {
      return { op: "mount", kind: "bind", target: e.target, source: e.source, flags: e.options.includes("rbind") ? [...flags, "rec"] : flags };
    }
    return { op: "mount", kind: "tmpfs", target: e.target, flags, options: e.options.filter((o) => tmpfsValue.test(o)) };
  });
}
