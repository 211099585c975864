/**
 * The argv of mkfs.ext4, mount and resize2fs for server images, with the reasons for
 * each choice (README.md in this directory's parent repeats them for admins).
 */
import { DISK_BLOCK } from "../limits";
import type { DiskLimits } from "../types";

/**
 * mkfs.ext4 for an image of `limits.bytes`:
 * - `-b 4096 -T default`: the image may be small, and mke2fs would pick its "small"
 *   profile (1 KiB blocks, one inode per 4 KiB) below 512 MiB; a server that grows to
 *   hundreds of GiB wants 4 KiB blocks from the start.
 * - `-N`: the inode limit (mke2fs rounds up to whole inode-table blocks per group).
 * - `-m 0`: no blocks reserved for root. Root in the guest is the customer, and a
 *   reserved pool would only be a second, hidden limit above the sold one.
 * - the journal stays: a host crash must not leave a guest's filesystem needing a
 *   manual fsck. `lazy_journal_init`/`lazy_itable_init`: nothing is zeroed up front,
 *   so the sparse image stays small (the kernel initialises inode tables lazily).
 * - `-e remount-ro`: on corruption stop writing instead of making it worse.
 * - `-L`: the label says whose image it is when an admin finds one with blkid.
 * - `-E root_owner=0:0`: the guest's / belongs to its root, whoever runs mkfs.
 */
export function mkfsArgs(image: string, name: string, limits: DiskLimits): string[] {
  return [
    "-q",
    "-F",
    "-t", "ext4",
    "-b", String(DISK_BLOCK),
    "-T", "default",
    "-N", String(limits.inodes),
    "-m", "0",
    "-e", "remount-ro",
    "-L", `vs-${name}`.slice(0, 16),
    "-E", "lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0",
    image,
    `${Math.floor(limits.bytes / 1024)}k`,
  ];
}

/**
 * Mount options of a server image:
 * - `loop`: mount(8) attaches a free loop device with LO_FLAGS_AUTOCLEAR, so the device
 *   goes away with the last unmount (also after an agent crash) and is never forgotten.
 * - `nodev`: the guest gets its devices on the tmpfs /dev the start path mounts; a node
 *   it creates in its own tree (mknod of a disk) must not open a device, even if the
 *   device cgroup were missing. Bind mounts of this root keep the flag, and the guest
 *   cannot remount without CAP_SYS_ADMIN.
 * - no `nosuid`: guests need their setuid programs (su, passwd, sudo, ping).
 * - no `noexec`, no `discard` (trim with fstrim on a schedule instead of on every delete).
 */
export const IMAGE_MOUNT_OPTIONS = "loop,nodev";

/** mount(8) argv for an image onto a server root. */
export function mountArgs(image: string, root: string): string[] {
  return ["-t", "ext4", "-o", IMAGE_MOUNT_OPTIONS, image, root];
}

/** resize2fs's size argument for a byte count (KiB, which it reads as "k"). */
export function resize2fsSize(bytes: number): string {
  return `${Math.floor(bytes / 1024)}K`;
}
