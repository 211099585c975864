/**
 * Writes the guest's /etc/hostname and /etc/resolv.conf from the configuration, through
 * guestfs: the guest may have replaced either with a symlink to anywhere, a FIFO or a
 * directory, and whatever it planted is replaced, never followed or opened.
 */
import { closeSync } from "node:fs";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { writeGuestFile } from "../../kernel/guestfs/write-guest-file";
import { inGuestTree } from "./guest-tree-failure";

/** What goes into the files. */
export interface GuestIdentity {
  nodename: string;
  domainname: string;
  nameservers: readonly string[];
}

/** The resolv.conf text for a list of name servers. */
export function resolvConf(id: GuestIdentity): string {
  const search = id.domainname ? `search ${id.domainname}\n` : "";
  return `# written by the vserver agent from the server's nameservers file\n${search}${id.nameservers.map((n) => `nameserver ${n}\n`).join("")}`;
}

/**
 * Writes /etc/hostname (always) and /etc/resolv.conf (when name servers are configured),
 * owned by the guest's root: host id `ownerBase` (0, or the range's start for a root
 * whose ownership is shifted on disk); what the guest planted in the way is refused as
 * CONFLICT.
 */
export function writeGuestIdentity(root: string, id: GuestIdentity, ownerBase = 0): void {
  const fd = openGuestRoot(root);
  const owner = { uid: ownerBase, gid: ownerBase };
  try {
    inGuestTree("writing /etc/hostname and /etc/resolv.conf", () => {
      writeGuestFile(fd, "/etc/hostname", `${id.nodename}\n`, { ...owner, mkdirs: owner });
      if (id.nameservers.length > 0) writeGuestFile(fd, "/etc/resolv.conf", resolvConf(id), { ...owner, mkdirs: owner });
    });
  } finally {
    closeSync(fd);
  }
}
