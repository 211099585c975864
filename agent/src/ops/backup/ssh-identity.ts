/**
 * The agent's own SSH identity for SFTP targets: one ed25519 key per host, made on first
 * use in the backup state dir (0600; the admin authorizes its public key on the SSH
 * server), and each target's pinned host key in its own known_hosts file (given with
 * the target, or accepted on first use and pinned from then on). restic runs ssh with
 * exactly these files, in batch mode (no password prompt, no agent, no user config).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BackupLocation } from "@/lib/protocol/backups";
import type { HostPaths } from "../../config/paths";
import { badInput } from "../../errors";
import { backupStateDir, targetDir } from "./target-store";

type SftpLocation = Extract<BackupLocation, { kind: "sftp" }>;

/** The private key's path (made when missing). */
export function ensureSshKey(paths: HostPaths): string {
  const dir = path.join(backupStateDir(paths), "ssh");
  const key = path.join(dir, "id_ed25519");
  if (!fs.existsSync(key)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.rmSync(`${key}.pub`, { force: true });
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "vserver-panel-backup", "-f", key], { stdio: "ignore" });
  }
  return key;
}

/** The public key line SFTP targets must authorize. */
export function sshPublicKey(paths: HostPaths): string {
  return fs.readFileSync(`${ensureSshKey(paths)}.pub`, "utf8").trim();
}

const HOST_KEY = /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]+={0,3}$/;

/** known_hosts' name for a host and port. */
function knownName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Pins a target's host key (the given one; none: cleared, to be accepted on first use). */
export function pinHostKey(paths: HostPaths, id: string, loc: SftpLocation): void {
  const file = path.join(targetDir(paths, id), "known_hosts");
  if (loc.hostKey === undefined) return;
  const key = loc.hostKey.trim().split(/\s+/).slice(0, 2).join(" ");
  if (!HOST_KEY.test(key)) throw badInput("location.hostKey", "a host key line such as `ssh-ed25519 AAAA…`");
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${knownName(loc.host, loc.port)} ${key}\n`, { mode: 0o600 });
}

/** restic's `-o sftp.command=…` for a target: our key, its pinned host key, batch mode. */
export function sftpOptions(paths: HostPaths, id: string, loc: SftpLocation): string[] {
  const key = ensureSshKey(paths);
  const known = path.join(targetDir(paths, id), "known_hosts");
  const pinned = fs.existsSync(known) && fs.statSync(known).size > 0;
  const ssh = [
    "ssh", "-F", "/dev/null", "-i", key, "-p", String(loc.port),
    "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "IdentityAgent=none",
    "-o", `UserKnownHostsFile=${known}`, "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", `StrictHostKeyChecking=${pinned ? "yes" : "accept-new"}`,
    "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15",
    `${loc.user}@${loc.host}`, "-s", "sftp",
  ];
  return ["-o", `sftp.command=${ssh.join(" ")}`];
}
