/**
 * A user of a guest by name or number, from the guest's own /etc/passwd and /etc/group
 * (read beneath its root with openat2, never as host paths: SECURITY.md rule 1), for
 * `vserver NAME suexec USER CMD…`. The ids are the guest's: vs-enter switches to them
 * inside the server's user namespace.
 */
import { closeSync } from "node:fs";
import { AgentFailure } from "../../errors";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { readGuestFile } from "../../kernel/guestfs/read-guest-file";

/** Who a command runs as. */
export interface GuestUser {
  name: string;
  uid: number;
  gid: number;
  /** Supplementary groups (from /etc/group). */
  groups: number[];
  home: string;
}

/** Finds `user` (a name, or a number not in the file) in passwd and group texts. */
export function parseGuestUser(user: string, passwd: string, group: string): GuestUser | null {
  const entries = passwd.split("\n").map((l) => l.split(":")).filter((f) => f.length >= 7 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!));
  const byName = entries.find((f) => f[0] === user);
  const byId = /^\d+$/.test(user) ? entries.find((f) => f[2] === user) : undefined;
  const f = byName ?? byId;
  if (!f) {
    // util-vserver's suexec takes a bare number too: that id, its own group, no home.
    return /^\d+$/.test(user) ? { name: user, uid: Number(user), gid: Number(user), groups: [], home: "/" } : null;
  }
  const name = f[0]!;
  const gid = Number(f[3]);
  const groups = new Set<number>([gid]);
  for (const line of group.split("\n")) {
    const g = line.split(":");
    if (g.length >= 4 && /^\d+$/.test(g[2]!) && g[3]!.split(",").includes(name)) groups.add(Number(g[2]));
  }
  return { name, uid: Number(f[2]), gid, groups: [...groups], home: f[5] || "/" };
}

function guestText(rootFd: number, file: string): string {
  try {
    return readGuestFile(rootFd, file, { maxBytes: 4 << 20 }).toString("utf8");
  } catch {
    return "";
  }
}

/** The user `user` of the guest whose root is at `root` (BAD_REQUEST when unknown). */
export function guestUser(root: string, user: string): GuestUser {
  const fd = openGuestRoot(root);
  try {
    const u = parseGuestUser(user, guestText(fd, "/etc/passwd"), guestText(fd, "/etc/group"));
    if (!u) throw new AgentFailure("BAD_REQUEST", `suexec: no user "${user}" in the guest's /etc/passwd`, "user");
    return u;
  } finally {
    closeSync(fd);
  }
}
