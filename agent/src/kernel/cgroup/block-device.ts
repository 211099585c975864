/**
 * Block devices for IO limits. The kernel throttles per whole disk (v1 blkio.throttle.*,
 * v2 io.max both refuse partitions), so a path is mapped to the MAJ:MIN of the disk that
 * holds it, and limit requests are checked against /sys/dev/block before any write.
 */
import fsp from "node:fs/promises";
import path from "node:path";
import { AgentFailure, badInput } from "../../errors";
import { errnoOf } from "./cgroup-io";

/** What /sys/dev/block says about a MAJ:MIN. */
export type BlockDeviceKind = "disk" | "partition" | "missing";

/** Where sysfs and mountinfo are read from (tests point these at fixtures). */
export interface BlockDeviceSources {
  sysfs?: string;
  mountinfo?: string;
}

const devicePattern = /^(\d+):(\d+)$/;

/** Whether `device` ("MAJ:MIN") is a whole disk, a partition, or not a block device. */
export async function checkBlockDevice(device: string, sysfs = "/sys"): Promise<BlockDeviceKind> {
  if (!devicePattern.test(device)) return "missing";
  const dir = path.join(sysfs, "dev/block", device);
  try {
    await fsp.access(dir);
  } catch {
    return "missing";
  }
  return (await exists(path.join(dir, "partition"))) ? "partition" : "disk";
}

/**
 * MAJ:MIN of the whole disk holding `hostPath` (a host path the agent controls, such
 * as a vserver's root directory). Filesystems whose st_dev is not a block device
 * (btrfs subvolumes, overlay) are resolved through the mount's source device.
 */
export async function blockDeviceOf(hostPath: string, sources: BlockDeviceSources = {}): Promise<string> {
  const sysfs = sources.sysfs ?? "/sys";
  let stat;
  try {
    stat = await fsp.stat(hostPath, { bigint: true });
  } catch (error) {
    throw badInput("path", `cannot stat ${hostPath}: ${errnoOf(error) ?? String(error)}`);
  }
  let device = decodeDev(stat.dev);
  if ((await checkBlockDevice(device, sysfs)) === "missing") {
    const source = mountSource(sources.mountinfo ?? (await fsp.readFile("/proc/self/mountinfo", "utf8")), device);
    if (!source?.startsWith("/dev/")) {
      throw badInput("path", `${hostPath} is not on a block device (st_dev ${device}, source ${source ?? "unknown"})`);
    }
    device = decodeDev((await fsp.stat(source, { bigint: true })).rdev);
  }
  return wholeDisk(device, sysfs);
}

/** The disk a partition belongs to; a whole disk maps to itself. */
async function wholeDisk(device: string, sysfs: string): Promise<string> {
  const kind = await checkBlockDevice(device, sysfs);
  if (kind === "disk") return device;
  if (kind === "missing") throw new AgentFailure("NOT_FOUND", `block device ${device} not in ${sysfs}/dev/block`, "path");
  // /sys/dev/block/8:1 -> ../../devices/.../sda/sda1; the disk is the parent directory.
  const real = await fsp.realpath(path.join(sysfs, "dev/block", device));
  return (await fsp.readFile(path.join(path.dirname(real), "dev"), "utf8")).trim();
}

/** glibc's dev_t encoding (gnu_dev_major/minor) to "MAJ:MIN". */
export function decodeDev(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

function mountSource(mountinfo: string, device: string): string | null {
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (left?.split(" ")[2] === device && right) return right.split(" ")[1] ?? null;
  }
  return null;
}

async function exists(file: string): Promise<boolean> {
  return fsp.access(file).then(
    () => true,
    () => false,
  );
}
