/**
 * Fills a new root, through guestfs only (fds beneath the root; nothing a later guest
 * plants can redirect a write): `skeleton` makes util-vserver's base directory
 * structure and /etc files; `busybox` adds the host's static busybox (a copy, never a
 * hard link: the guest could change the host's file), its applet links, a minimal
 * busybox init with an inittab, and passwd/group/shadow, so the server can start and run
 * commands without a distribution.
 */
import { execFileSync } from "node:child_process";
import { closeSync, readFileSync } from "node:fs";
import { ensureGuestSymlink } from "../../kernel/guestfs/ensure-guest-symlink";
import { mkdirGuest } from "../../kernel/guestfs/mkdir-guest";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import { AgentFailure } from "../../errors";
import { resolvConf } from "../runtime/guest-identity";

/** Where the static busybox comes from (Debian's busybox-static). */
export const HOST_BUSYBOX = "/bin/busybox";

/** What the /etc files say. */
export interface RootIdentity {
  nodename: string;
  domainname: string;
  nameservers: readonly string[];
  /** A crypt(3) hash for root's shadow entry; "*" (no password login) when absent. */
  rootHash?: string;
}

/** busybox init's table: no getty (there is no console; `vserver NAME enter` gives a
 * shell), the hostname from /etc/hostname, a clean shutdown. */
export const BUSYBOX_INITTAB = [
  "::sysinit:/bin/hostname -F /etc/hostname",
  "::ctrlaltdel:/sbin/reboot",
  "::shutdown:/bin/sync",
  "::restart:/sbin/init",
  "",
].join("\n");

const SKELETON_DIRS: [string, number][] = [
  ["/bin", 0o755], ["/sbin", 0o755], ["/etc", 0o755], ["/dev", 0o755], ["/proc", 0o555], ["/sys", 0o555],
  ["/root", 0o700], ["/tmp", 0o1777], ["/var", 0o755], ["/var/log", 0o755], ["/var/tmp", 0o1777],
  ["/run", 0o755], ["/usr", 0o755], ["/usr/bin", 0o755], ["/usr/sbin", 0o755], ["/home", 0o755],
  ["/mnt", 0o755], ["/lib", 0o755],
];

function writeEtc(fd: number, id: RootIdentity): void {
  const fqdn = id.domainname ? `${id.nodename}.${id.domainname} ` : "";
  writeGuestFile(fd, "/etc/hostname", `${id.nodename}\n`);
  writeGuestFile(fd, "/etc/hosts", `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n127.0.1.1\t${fqdn}${id.nodename}\n`);
  if (id.nameservers.length) writeGuestFile(fd, "/etc/resolv.conf", resolvConf(id));
  writeGuestFile(fd, "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
  writeGuestFile(fd, "/etc/group", "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
  writeGuestFile(fd, "/etc/shadow", `root:${id.rootHash ?? "*"}:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n`, { mode: 0o640 });
  ensureGuestSymlink(fd, "/etc/mtab", "/proc/mounts");
}

/** util-vserver's `skeleton`: directories and /etc files, no programs. */
export function populateSkeleton(root: string, id: RootIdentity): void {
  const fd = openGuestRoot(root);
  try {
    for (const [dir, mode] of SKELETON_DIRS) mkdirGuest(fd, dir, { mode });
    writeEtc(fd, id);
  } finally {
    closeSync(fd);
  }
}

/** The applets of the host's busybox ("bin/ls", "sbin/init", …). */
function busyboxApplets(): string[] {
  try {
    return execFileSync(HOST_BUSYBOX, ["--list-full"], { encoding: "utf8" }).split("\n").filter((a) => a && a !== "bin/busybox");
  } catch (e) {
    throw new AgentFailure("UNSUPPORTED", `method: the busybox method needs ${HOST_BUSYBOX} (Debian: busybox-static): ${(e as Error).message}`, "method");
  }
}

/** `busybox`: skeleton + static busybox, applet links, inittab. */
export function populateBusybox(root: string, id: RootIdentity, log: (line: string) => void = () => undefined): void {
  const applets = busyboxApplets();
  populateSkeleton(root, id);
  const fd = openGuestRoot(root);
  try {
    writeGuestFile(fd, "/bin/busybox", readFileSync(HOST_BUSYBOX), { mode: 0o755 });
    log(`installed ${HOST_BUSYBOX}`);
    for (const a of applets) ensureGuestSymlink(fd, `/${a}`, "/bin/busybox", { mkdirs: true });
    log(`linked ${applets.length} applets`);
    writeGuestFile(fd, "/etc/inittab", BUSYBOX_INITTAB);
    writeGuestFile(fd, "/etc/profile", 'export PS1="\\h:\\w\\$ "\nexport PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
  } finally {
    closeSync(fd);
  }
}
