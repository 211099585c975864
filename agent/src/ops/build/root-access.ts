/**
 * Root access of a guest: the shadow hash of root's password (SHA-512 crypt by
 * `openssl passwd -6`, the password on stdin, never in an argv) and root's
 * authorized_keys, written through guestfs.
 */
import { execFileSync } from "node:child_process";
import { closeSync } from "node:fs";
import { AgentFailure, badInput } from "../../errors";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { readGuestFile } from "../../kernel/guestfs/read-guest-file";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import { inGuestTree } from "../runtime/guest-tree-failure";

/** crypt(3) SHA-512 hash of `password`. */
export function hashPassword(password: string): string {
  if (password.includes("\n")) throw badInput("rootPassword", "must not contain a line break");
  try {
    return execFileSync("openssl", ["passwd", "-6", "-stdin"], { input: `${password}\n`, encoding: "utf8" }).trim();
  } catch (e) {
    throw new AgentFailure("UNSUPPORTED", `rootPassword: cannot hash passwords here (openssl): ${(e as Error).message}`, "rootPassword");
  }
}

/** Checks SSH public key lines (one key each, no line breaks). */
export function checkSshKeys(keys: readonly string[]): string {
  keys.forEach((k, i) => {
    if (/[\r\n]/.test(k) || !/^(ssh-|ecdsa-|sk-)[\w@.-]+ [A-Za-z0-9+/=]+( .*)?$/.test(k.trim())) {
      throw badInput(`sshKeys.${i}`, "must be one OpenSSH public key line");
    }
  });
  return keys.map((k) => `${k.trim()}\n`).join("");
}

/** Replaces root's shadow entry and/or authorized_keys in the guest at `root`, owned by
 * host id `ownerBase` (the range's start for a root shifted on disk, else 0); what the
 * guest planted in the way is refused as CONFLICT (runtime/guest-tree-failure.ts). */
export function setGuestRootAccess(root: string, access: { rootPassword?: string; sshKeys?: string[] }, ownerBase = 0): void {
  const hash = access.rootPassword === undefined ? undefined : hashPassword(access.rootPassword);
  const keys = access.sshKeys === undefined ? undefined : checkSshKeys(access.sshKeys);
  const fd = openGuestRoot(root);
  try {
    inGuestTree("setRootAccess", () => writeAccess(fd, hash, keys, ownerBase), hash !== undefined ? "rootPassword" : "sshKeys");
  } finally {
    closeSync(fd);
  }
}

/** Root's shadow line (the rest of the file kept) and authorized_keys, beneath `fd`. */
function writeAccess(fd: number, hash: string | undefined, keys: string | undefined, ownerBase: number): void {
  const owner = { uid: ownerBase, gid: ownerBase };
  if (hash !== undefined) {
    let lines: string[] = [];
    try {
      lines = readGuestFile(fd, "/etc/shadow").toString("utf8").split("\n").filter(Boolean);
    } catch {
      lines = [];
    }
    const entry = `root:${hash}:19000:0:99999:7:::`;
    const i = lines.findIndex((l) => l.startsWith("root:"));
    if (i >= 0) lines[i] = entry;
    else lines.unshift(entry);
    writeGuestFile(fd, "/etc/shadow", `${lines.join("\n")}\n`, { mode: 0o640, ...owner });
  }
  if (keys !== undefined) {
    writeGuestFile(fd, "/root/.ssh/authorized_keys", keys, { mode: 0o600, ...owner, mkdirs: { mode: 0o700, ...owner } });
  }
}
