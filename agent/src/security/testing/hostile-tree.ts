/**
 * Plants, in a server's tree, everything a hostile guest would leave where the host
 * writes, reads or walks: beside each file the host touches, a symlink to the host
 * canary's copy of it ("NAME.evil", absolute or climbing with ../), and beside each
 * directory a symlink to the canary's directory ("DIR.evil"), ready to be exchanged with
 * the real name by the swappers; the same absolute paths made inside the root too (so a
 * link resolved in the root leads somewhere); and in the walked data directory a FIFO,
 * a /dev/zero node and a loop block device, next to regular files they are swapped with.
 * Made by the test through guestfs before the server runs (as root of the guest would).
 */
import fs from "node:fs";
import path from "node:path";
import { constants as C, mknodat, openat2 } from "@/native";
import { IN_ROOT } from "../../kernel/guestfs/guest-path";
import { ensureGuestSymlink } from "../../kernel/guestfs/ensure-guest-symlink";
import { mkdirGuest } from "../../kernel/guestfs/mkdir-guest";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import type { Swap } from "./swappers";

/** The walked data directory of a hostile tree. */
export const DATA = "/usr/share/vst/data";

/** Names of the special files in {@link DATA}. */
export const SPECIALS = ["fifo", "zero", "loop"] as const;

/** What the swappers exchange, by the host operation they race. */
export const SWAPS = {
  /** /etc/hostname and /etc/resolv.conf, and /etc itself (start, vuname). */
  identity: [["/etc", "hostname", "hostname.evil"], ["/etc", "resolv.conf", "resolv.conf.evil"], ["/", "etc", "etc.evil"]],
  /** /etc/shadow, /root/.ssh/authorized_keys and their directories (setRootAccess, reinstall). */
  access: [["/etc", "shadow", "shadow.evil"], ["/", "etc", "etc.evil"], ["/root/.ssh", "authorized_keys", "authorized_keys.evil"], ["/root", ".ssh", ".ssh.evil"], ["/", "root", "root.evil"]],
  /** The data directory: itself for a link, a file for a link, files for a FIFO and a device (walks). */
  walk: [["/usr/share/vst", "data", "data.evil"], [DATA, "same.bin", "same.evil"], [DATA, "file1", "fifo"], [DATA, "file2", "zero"]],
} as const satisfies Record<string, readonly Swap[]>;

/** Plants the tree in the server root at `root`, pointing at the canary `canaryDir`. */
export function plantHostileTree(root: string, canaryDir: string): void {
  const fd = openGuestRoot(root);
  const climb = "../".repeat(12);
  try {
    for (const d of ["/etc", "/root/.ssh", DATA]) mkdirGuest(fd, d);
    writeGuestFile(fd, "/etc/shadow", "root:*:19000:0:99999:7:::\n", { mode: 0o640 });
    writeGuestFile(fd, "/root/.ssh/authorized_keys", "");
    ensureGuestSymlink(fd, "/etc/hostname.evil", `${canaryDir}/etc/hostname`);
    ensureGuestSymlink(fd, "/etc/resolv.conf.evil", `${climb}${canaryDir.slice(1)}/etc/resolv.conf`);
    ensureGuestSymlink(fd, "/etc/shadow.evil", `${canaryDir}/etc/shadow`);
    ensureGuestSymlink(fd, "/etc.evil", `${canaryDir}/etc`);
    ensureGuestSymlink(fd, "/root/.ssh/authorized_keys.evil", `${canaryDir}/root/.ssh/authorized_keys`);
    ensureGuestSymlink(fd, "/root/.ssh.evil", `${climb}${canaryDir.slice(1)}/root/.ssh`);
    ensureGuestSymlink(fd, "/root.evil", `${canaryDir}/root`);
    ensureGuestSymlink(fd, "/usr/share/vst/data.evil", `${canaryDir}/data`);
    ensureGuestSymlink(fd, `${DATA}/same.evil`, `${canaryDir}/data/same.bin`);
    // The same absolute paths inside the root: a link resolved in the root lands here.
    for (const d of ["/etc", "/root/.ssh", "/data"]) mkdirGuest(fd, `${canaryDir}${d}`);
    writeGuestFile(fd, `${DATA}/same.bin`, "a guest file named like the canary's\n");
    writeGuestFile(fd, `${DATA}/file1`, "guest file 1\n");
    writeGuestFile(fd, `${DATA}/file2`, "guest file 2\n");
    const data = openat2(fd, DATA, C.O_PATH | C.O_DIRECTORY, 0, IN_ROOT);
    try {
      mknodat(data, "fifo", C.S_IFIFO | 0o644);
      mknodat(data, "zero", C.S_IFCHR | 0o644, 1, 5);
      mknodat(data, "loop", C.S_IFBLK | 0o600, 7, 0);
    } finally {
      fs.closeSync(data);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Host paths of the special files in a planted tree (for the canary's witness). */
export function specialsOf(root: string): string[] {
  return SPECIALS.map((s) => path.join(root, DATA, s));
}
