/**
 * `vuname NAME --set --nodename H [--domainname D]`: persisted in `uts/`, and on a
 * running server changed live (vs-enter joins only its UTS namespace; no guest code
 * runs) and written to the guest's /etc/hostname through guestfs.
 */
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { checkDomainname, checkHostname } from "../../config/vserver/names";
import { writeUts } from "../../config/vserver/write-config";
import { setVserverUts } from "../../kernel/launch/set-vserver-uts";
import { withServerLock } from "../locks";
import { openEnterTarget } from "../runtime/enter-target";
import { writeGuestIdentity } from "../runtime/guest-identity";
import { initAlive, readRunState } from "../runtime/run-state";

/** New names (absent = unchanged). */
export interface UtsChange {
  nodename?: string;
  domainname?: string;
}

/** Applies the change; returns the names now configured. */
export async function setUts(paths: HostPaths, name: string, change: UtsChange): Promise<{ nodename: string; domainname: string }> {
  if (change.nodename !== undefined) checkHostname(change.nodename, "nodename");
  if (change.domainname !== undefined) checkDomainname(change.domainname);
  return withServerLock(paths, name, async () => {
    const before = readVserverConfig(paths, name);
    const state = readRunState(paths, name);
    if (state && initAlive(state)) {
      const t = openEnterTarget(paths, name);
      try {
        await setVserverUts(t.target, { hostname: change.nodename, domainname: change.domainname });
      } finally {
        t.close();
      }
    }
    writeUts(paths, name, change);
    const after = { nodename: change.nodename ?? before.nodename, domainname: change.domainname ?? before.domainname };
    // A root shifted on disk has its guest root at the range's start, not host root.
    writeGuestIdentity(before.root, { ...after, nameservers: before.nameservers }, before.uidmap?.shifted ? before.uidmap.start : 0);
    return after;
  });
}
