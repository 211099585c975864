/**
 * Reading the host's mounts and loop devices: /proc/self/mountinfo (what is mounted
 * where, with which source and options) and /sys/block/loop* (which file backs each
 * loop device). Read-only; changes go through mount(8)/losetup(8) in loop/.
 */
import fs from "node:fs";
import path from "node:path";

/** One line of mountinfo. */
export interface MountEntry {
  mountId: number;
  parentId: number;
  /** "major:minor" of the filesystem. */
  dev: string;
  /** Root of the mount within its filesystem ("/" unless a bind of a subtree). */
  root: string;
  mountPoint: string;
  options: string[];
  fsType: string;
  source: string;
  superOptions: string[];
}

// mountinfo escapes space, tab, newline and backslash as \ooo.
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses mountinfo text (see proc(5)); malformed lines are skipped. */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const sep = line.indexOf(" - ");
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(" ");
    const right = line.slice(sep + 3).split(" ");
    if (left.length < 6 || right.length < 3) continue;
    out.push({
      mountId: Number(left[0]),
      parentId: Number(left[1]),
      dev: left[2]!,
      root: unescape(left[3]!),
      mountPoint: unescape(left[4]!),
      options: left[5]!.split(","),
      fsType: right[0]!,
      source: unescape(right[1]!),
      superOptions: right[2]!.split(","),
    });
  }
  return out;
}

/** The current mounts of this process's mount namespace. */
export function readMounts(): MountEntry[] {
  return parseMountinfo(fs.readFileSync("/proc/self/mountinfo", "utf8"));
}

/** The top mount at exactly `mountPoint` (the last one listed wins: it covers the others). */
export function mountAt(entries: MountEntry[], mountPoint: string): MountEntry | undefined {
  let top: MountEntry | undefined;
  for (const e of entries) if (e.mountPoint === mountPoint) top = e;
  return top;
}

/** "major:minor" of a dev_t as stat(2) returns it (glibc's gnu_dev_major/minor). */
export function devString(dev: number | bigint): string {
  const d = BigInt(dev);
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn);
  const minor = (d & 0xffn) | ((d >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/**
 * The mount that holds `dir`: same device as its stat, longest mount point above its
 * real path (a filesystem mounted twice, or bind-mounted, appears more than once).
 */
export function mountHolding(entries: MountEntry[], dir: string): MountEntry | undefined {
  const real = fs.realpathSync(dir);
  const dev = devString(fs.statSync(real, { bigint: true }).dev);
  let best: MountEntry | undefined;
  for (const e of entries) {
    if (e.dev !== dev) continue;
    const mp = e.mountPoint;
    const above = mp === "/" || real === mp || real.startsWith(mp + "/");
    if (above && (!best || mp.length >= best.mountPoint.length)) best = e;
  }
  return best;
}

/** A loop device and the file behind it. */
export interface LoopDevice {
  /** "/dev/loopN". */
  device: string;
  /** The backing file as the kernel prints it (" (deleted)" appended once unlinked). */
  backingFile: string;
  autoclear: boolean;
}

/** Every attached loop device (from sysfs; detached devices have no `loop/` directory). */
export function listLoopDevices(sysBlock = "/sys/block"): LoopDevice[] {
  const out: LoopDevice[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(sysBlock).filter((n) => /^loop\d+$/.test(n));
  } catch {
    return out;
  }
  for (const n of names) {
    try {
      const backingFile = fs.readFileSync(path.join(sysBlock, n, "loop", "backing_file"), "utf8").replace(/\n$/, "");
      const autoclear = fs.readFileSync(path.join(sysBlock, n, "loop", "autoclear"), "utf8").trim() === "1";
      out.push({ device: `/dev/${n}`, backingFile, autoclear });
    } catch {
      // not attached, or detached meanwhile
    }
  }
  return out;
}

/** The loop devices backed by `image` (also after the image was unlinked). */
export function loopsOfImage(image: string, loops = listLoopDevices()): LoopDevice[] {
  return loops.filter((l) => l.backingFile === image || l.backingFile === `${image} (deleted)`);
}
