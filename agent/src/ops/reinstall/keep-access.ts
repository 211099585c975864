/**
 * What a reinstall carries over from the old root unless the request gives new values:
 * root's password hash and root's authorized SSH keys. They are read from the old
 * (hostile) tree through guestfs with a size cap, and only what parses as a crypt hash
 * or an OpenSSH key line is kept.
 */
import { closeSync } from "node:fs";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { readGuestFile } from "../../kernel/guestfs/read-guest-file";
import { checkSshKeys } from "../build/root-access";

/** Root's access as found in a root. */
export interface KeptAccess {
  rootHash?: string;
  sshKeys?: string[];
}

/** Reads root's shadow hash and authorized_keys of the tree at `root` (missing ones stay undefined). */
export function readRootAccess(root: string): KeptAccess {
  const out: KeptAccess = {};
  let fd: number;
  try {
    fd = openGuestRoot(root);
  } catch {
    return out;
  }
  try {
    try {
      const line = readGuestFile(fd, "/etc/shadow", { maxBytes: 256 * 1024 }).toString("utf8").split("\n").find((l) => l.startsWith("root:"));
      const hash = line?.split(":")[1];
      if (hash && /^[!*]?\$[0-9a-z]+\$[./A-Za-z0-9$=,-]{8,512}$/.test(hash)) out.rootHash = hash;
    } catch {
      // no shadow file: nothing to keep
    }
    try {
      const lines = readGuestFile(fd, "/root/.ssh/authorized_keys", { maxBytes: 256 * 1024 }).toString("utf8").split("\n").map((l) => l.trim()).filter(Boolean);
      const good = lines.filter((l) => {
        try {
          checkSshKeys([l]);
          return true;
        } catch {
          return false;
        }
      });
      if (good.length) out.sshKeys = good;
    } catch {
      // no keys
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
