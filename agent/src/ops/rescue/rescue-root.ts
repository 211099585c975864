/**
 * The rescue system's roots. The host keeps one template (`VSERVER_ROOTDIR/.rescue/template`:
 * the busybox method's root, build/populate-root.ts, with a message of the day that says
 * where the server's own root is), built once under a host lock. Each rescue gets a fresh
 * copy (`.rescue/servers/NAME`), never the template itself: the customer is root in the
 * rescue system and may change anything in it, so the copy is as hostile as any guest
 * tree afterwards. The copy lives on a tmpfs of its own (RESCUE_ROOT_SIZE), mounted on
 * `.rescue/servers/NAME`: what the customer writes there is capped by its size and
 * charged to the server's memory cgroup, so a rescue cannot fill the host's disk past the
 * server's quota (its own root at /mnt keeps its quota). Ending the rescue unmounts it;
 * a plain directory left by an older agent is removed through guestfs (fds, no symlink
 * followed, no mount crossed).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { isNativeError } from "@/native";
import type { HostPaths } from "../../config/paths";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { removeGuestEntryAt } from "../../kernel/guestfs/remove-guest-tree";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import { populateBusybox } from "../build/populate-root";
import { setGuestRootAccess } from "../build/root-access";
import { withLock } from "../locks";
import { copyTree } from "../templates/copy-tree";
import { mountedAt } from "../../kernel/mounted-at";
import { AgentFailure } from "../../errors";
import { idmapSupported } from "../../kernel/launch/idmap-probe";

/** The rescue root's tmpfs size: room for tools a customer fetches, never the host's disk. */
export const RESCUE_ROOT_SIZE = "256m";

/** What the rescue system says at login. */
export const RESCUE_MOTD = "This is the rescue system of your server.\nYour server's own root is mounted at /mnt.\nEnd the rescue in the panel (or `vserver NAME rescue stop`) to boot it normally.\n";

/** The rescue roots' parent directory. */
export function rescueBaseDir(paths: HostPaths): string {
  return path.join(paths.rootDir, ".rescue");
}

/** The host's rescue template. */
export function rescueTemplateDir(paths: HostPaths): string {
  return path.join(rescueBaseDir(paths), "template");
}

/** The rescue root of `name`'s current (or last) rescue. */
export function rescueRootOf(paths: HostPaths, name: string): string {
  return path.join(rescueBaseDir(paths), "servers", name);
}

/** Builds the template when the host has none yet (a complete one has `.complete` beside it). */
export async function ensureRescueTemplate(paths: HostPaths): Promise<string> {
  const dir = rescueTemplateDir(paths);
  const done = `${dir}.complete`;
  if (fs.existsSync(done)) return dir;
  return withLock(paths, ".rescue-template", "the rescue template", async () => {
    if (fs.existsSync(done)) return dir;
    fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
    const tmp = `${dir}.new-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(tmp, { mode: 0o755 });
    try {
      populateBusybox(tmp, { nodename: "rescue", domainname: "", nameservers: [] });
      const fd = openGuestRoot(tmp);
      try {
        writeGuestFile(fd, "/etc/motd", RESCUE_MOTD);
        writeGuestFile(fd, "/etc/profile", 'export PS1="rescue:\\w\\$ "\nexport PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\ncat /etc/motd\n');
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(tmp, dir);
      fs.writeFileSync(done, "");
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return dir;
  });
}

/** Removes `name`'s rescue root (the server is stopped: only its own tmpfs is mounted there). */
export function removeRescueRoot(paths: HostPaths, name: string): void {
  const root = rescueRootOf(paths, name);
  while (mountedAt(root)) {
    try {
      execFileSync("umount", ["--", root], { stdio: ["ignore", "ignore", "pipe"] });
    } catch {
      // Still held by a process on its way out: detached now, freed when it lets go.
      execFileSync("umount", ["-l", "--", root], { stdio: ["ignore", "ignore", "pipe"] });
    }
  }
  const parent = path.join(rescueBaseDir(paths), "servers");
  let dirfd: number;
  try {
    dirfd = fs.openSync(parent, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  try {
    removeGuestEntryAt(dirfd, name);
  } catch (e) {
    if (!isNativeError(e, "ENOENT")) throw e;
  } finally {
    fs.closeSync(dirfd);
  }
}

/** A fresh rescue root for `name` from the template, with root's password and keys; `idmapped`: it must take an idmapped mount (the server has its own uid range). */
export async function prepareRescueRoot(paths: HostPaths, name: string, access: { rootPassword: string; sshKeys: string[] }, idmapped = false): Promise<string> {
  const template = await ensureRescueTemplate(paths);
  const root = rescueRootOf(paths, name);
  removeRescueRoot(paths, name);
  fs.mkdirSync(path.dirname(root), { recursive: true, mode: 0o700 });
  fs.mkdirSync(root, { mode: 0o755 });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${RESCUE_ROOT_SIZE},mode=755,nodev,nosuid`, "vs-rescue", root], { stdio: ["ignore", "ignore", "pipe"] });
    // tmpfs takes idmapped mounts from Linux 6.3 on; before, a server with its own uid
    // range gets no rescue rather than one with shared uids (SECURITY.md rule 5).
    if (idmapped && !idmapSupported(root)) {
      throw new AgentFailure("UNSUPPORTED", `vserver "${name}": this host's kernel cannot give the rescue system the server's own uid range (idmapped tmpfs needs Linux 6.3 or later)`, "name");
    }
    const src = openGuestRoot(template);
    const dst = openGuestRoot(root);
    try {
      await copyTree(src, dst);
    } finally {
      fs.closeSync(src);
      fs.closeSync(dst);
    }
    setGuestRootAccess(root, { rootPassword: access.rootPassword, ...(access.sshKeys.length ? { sshKeys: access.sshKeys } : {}) });
  } catch (e) {
    removeRescueRoot(paths, name);
    throw e;
  }
  return root;
}
