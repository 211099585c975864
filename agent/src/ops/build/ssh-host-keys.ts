/**
 * A copied root (a template, another server) must not keep its source's SSH host keys:
 * every server built from it would present the same identity, and whoever holds one of
 * them could impersonate the others to their users. For each type the copy has a key of
 * (/etc/ssh/ssh_host_<type>_key), a new pair is made with the host's ssh-keygen in a
 * private temp dir and written in through guestfs (the copied tree came from a guest).
 * Made on the host rather than by the guest at its first boot, so it holds for every
 * init system and before sshd ever starts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AgentFailure } from "../../errors";
import { isGuestRegularFile } from "../../kernel/guestfs/is-guest-regular-file";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";

/** The host key types OpenSSH makes (`ssh-keygen -A`). */
const KEY_TYPES = ["rsa", "ecdsa", "ed25519"] as const;

/** Replaces each SSH host key pair the root has with a new one, owned by `owner` (guest
 * root's host ids: finish-root.ts); returns the types made. */
export function regenerateSshHostKeys(rootFd: number, comment: string, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): string[] {
  const types = KEY_TYPES.filter((t) => isGuestRegularFile(rootFd, `/etc/ssh/ssh_host_${t}_key`));
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
