/**
 * A copied root (a template, another server) must not keep its source's SSH host keys:
 * every server built from it would present the same identity, and whoever holds one of
 * them could impersonate the others to their users. Every `ssh_host_*_key[.pub]` entry
 * in /etc/ssh goes (also old types such as DSA, and links, which could name another
 * tree's key); for each current type the copy had (rsa, ecdsa, ed25519), a new pair is
 * made with the host's ssh-keygen in a private temp dir and written in through guestfs
 * (the copied tree came from a guest). Made on the host rather than by the guest at its
 * first boot, so it holds for every init system and before sshd ever starts.
 */
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { constants as C, fstatat, isNativeError, readdir, unlinkat } from "@/native";
import { AgentFailure } from "../../errors";
import { openGuestDir } from "../../kernel/guestfs/mkdir-guest";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";

/** The host key types OpenSSH makes today (`ssh-keygen -A`). */
const KEY_TYPES = ["rsa", "ecdsa", "ed25519"] as const;
type KeyType = (typeof KEY_TYPES)[number];

const HOST_KEY_NAME = /^ssh_host_([a-z0-9]+)_key(\.pub)?$/;

/** Removes every host key entry of /etc/ssh (not following links); returns the current types seen. */
function removeHostKeys(rootFd: number): Set<KeyType> {
  let dirfd: number;
  try {
    dirfd = openGuestDir(rootFd, "/etc/ssh");
  } catch (e) {
    if (isNativeError(e, "ENOENT") || isNativeError(e, "ENOTDIR")) return new Set();
    throw e;
  }
  const seen = new Set<KeyType>();
  try {
    for (const entry of readdir(dirfd)) {
      const m = HOST_KEY_NAME.exec(entry.name.toString("latin1"));
      if (!m) continue;
      if (fstatat(dirfd, entry.name, C.AT_SYMLINK_NOFOLLOW).type === "dir") continue;
      unlinkat(dirfd, entry.name, 0);
      if ((KEY_TYPES as readonly string[]).includes(m[1]!)) seen.add(m[1] as KeyType);
    }
  } finally {
    closeSync(dirfd);
  }
  return seen;
}

/** Replaces the root's SSH host keys with new ones of the types it had, owned by `owner`
 * (guest root's host ids: finish-root.ts); returns the types made. */
export function regenerateSshHostKeys(rootFd: number, comment: string, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): KeyType[] {
  const types = [...removeHostKeys(rootFd)];
  if (types.length === 0) return [];
  const dir = mkdtempSync(path.join(tmpdir(), "vs-hostkeys-"));
  try {
    for (const type of types) {
      const file = path.join(dir, type);
      try {
        execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", comment, "-f", file], { stdio: ["ignore", "ignore", "pipe"] });
      } catch (e) {
        const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "ssh-keygen is not installed (Debian: openssh-client)" : String((e as { stderr?: Buffer }).stderr ?? e).trim();
        throw new AgentFailure("INTERNAL", `cannot give the copy its own SSH host keys: ${why}`);
      }
      writeGuestFile(rootFd, `/etc/ssh/ssh_host_${type}_key`, readFileSync(file), { mode: 0o600, ...owner });
      writeGuestFile(rootFd, `/etc/ssh/ssh_host_${type}_key.pub`, readFileSync(`${file}.pub`), { mode: 0o644, ...owner });
    }
    return types;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
