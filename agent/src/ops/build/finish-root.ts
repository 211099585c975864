/**
 * What every distribution root (debootstrap, rpm, template) gets after it is populated,
 * through guestfs only (the root is not hostile yet during a build, but a template or a
 * copied server's tree came from a guest): /etc/hostname, /etc/hosts, /etc/resolv.conf
 * when name servers are configured, root's shadow entry; for a copy, an empty
 * /etc/machine-id (systemd makes a new one at boot) and new SSH host keys (a copy must
 * not share its source's identity, ssh-host-keys.ts); and the init
 * command: the root's /sbin/init when it has one, otherwise a minimal shell init
 * (debootstrap's minbase has no init system) that reaps orphans and ends on SIGTERM.
 */
import { closeSync } from "node:fs";
import { constants as C, fstatat, isNativeError, openat2, readdir, unlinkat } from "@/native";
import type { InitStyle } from "../../config/vserver/types";
import { IN_ROOT } from "../../kernel/guestfs/guest-path";
import { isGuestRegularFile } from "../../kernel/guestfs/is-guest-regular-file";
import { openGuestDir } from "../../kernel/guestfs/mkdir-guest";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { readGuestFile } from "../../kernel/guestfs/read-guest-file";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import { resolvConf } from "../runtime/guest-identity";
import { regenerateSshHostKeys } from "./ssh-host-keys";
import type { RootIdentity } from "./populate-root";

/** The init of a root without one: PID 1 only gets signals it handles, so it traps them. */
export const SHELL_INIT = ["/bin/sh", "-c", "trap 'exit 0' TERM INT PWR USR2; while :; do sleep 86400 & wait; done"];

/** The init command and stop style a populated root needs. */
export interface InitChoice {
  argv: string[];
  style: InitStyle | null;
}

/** Whether `path` in the guest (symlinks resolved inside the root) is an executable file. */
export function guestExecutable(rootFd: number, path: string): boolean {
  let fd: number;
  try {
    fd = openat2(rootFd, path, C.O_PATH, 0, IN_ROOT);
  } catch {
    return false;
  }
  try {
    const st = fstatat(fd, "", C.AT_EMPTY_PATH);
    return st.type === "file" && (st.mode & 0o111) !== 0;
  } finally {
    closeSync(fd);
  }
}

/** /sbin/init when the root has one (style detected at stop), else the shell init. */
export function chooseInit(root: string): InitChoice {
  const fd = openGuestRoot(root);
  try {
    if (guestExecutable(fd, "/sbin/init")) return { argv: ["/sbin/init"], style: null };
    return { argv: [...SHELL_INIT], style: "plain" };
  } finally {
    closeSync(fd);
  }
}

/** Replaces (or adds) root's entry in /etc/shadow with `hash`. */
function setRootHash(fd: number, hash: string, owner: GuestOwner): void {
  let lines: string[] = [];
  try {
    lines = readGuestFile(fd, "/etc/shadow").toString("utf8").split("\n").filter(Boolean);
  } catch {
    lines = [];
  }
  const i = lines.findIndex((l) => l.startsWith("root:"));
  const old = i >= 0 ? lines[i]!.split(":") : [];
  const entry = ["root", hash, ...(old.length >= 9 ? old.slice(2) : ["19000", "0", "99999", "7", "", "", ""])].join(":");
  if (i >= 0) lines[i] = entry;
  else lines.unshift(entry);
  writeGuestFile(fd, "/etc/shadow", `${lines.join("\n")}\n`, { mode: 0o640, ...owner });
}

/** Host ids of the files written into a root: guest root's (0, or the start of the range a
 * copied root is still shifted to, so that the shift to its own range moves them along). */
export interface GuestOwner {
  uid: number;
  gid: number;
}

/** Writes the identity files of a distribution root; `resetMachineId` marks a copy (machine
 * id and SSH host keys made anew); `ownerBase`: see GuestOwner. */
export function finishDistroRoot(root: string, id: RootIdentity, opts: { resetMachineId?: boolean; ownerBase?: number } = {}): void {
  const owner: GuestOwner = { uid: opts.ownerBase ?? 0, gid: opts.ownerBase ?? 0 };
  const fd = openGuestRoot(root);
  try {
    const fqdn = id.domainname ? `${id.nodename}.${id.domainname} ` : "";
    writeGuestFile(fd, "/etc/hostname", `${id.nodename}\n`, { ...owner, mkdirs: owner });
    writeGuestFile(fd, "/etc/hosts", `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t${fqdn}${id.nodename}\n`, owner);
    if (id.nameservers.length) writeGuestFile(fd, "/etc/resolv.conf", resolvConf(id), owner);
    if (id.rootHash !== undefined) setRootHash(fd, id.rootHash, owner);
    if (opts.resetMachineId && isGuestRegularFile(fd, "/etc/machine-id")) writeGuestFile(fd, "/etc/machine-id", "", { mode: 0o444, ...owner });
    if (opts.resetMachineId) regenerateSshHostKeys(fd, `root@${id.nodename}`, owner);
  } finally {
    closeSync(fd);
  }
}

/** Removes regular files named `*suffix` directly in guest directory `dir`; returns how many. */
export function removeGuestFiles(root: string, dir: string, suffix: string): number {
  const fd = openGuestRoot(root);
  let dirfd: number;
  try {
    dirfd = openGuestDir(fd, dir);
  } catch (e) {
    closeSync(fd);
    if (isNativeError(e, "ENOENT")) return 0;
    throw e;
  }
  let n = 0;
  try {
    for (const e of readdir(dirfd)) {
      if (!e.name.toString("latin1").endsWith(suffix)) continue;
      if (fstatat(dirfd, e.name, C.AT_SYMLINK_NOFOLLOW).type !== "file") continue;
      unlinkat(dirfd, e.name, 0);
      n++;
    }
  } finally {
    closeSync(dirfd);
    closeSync(fd);
  }
  return n;
}
