/** `vuname`: change the hostname/domainname of a running vserver. vs-enter joins only
 * its UTS namespace; no guest code runs. */
import type { EnterTarget } from "./enter-spec";
import { encodeUtsSpec } from "./enter-spec";
import { spawnEnter } from "./spawn-enter";

/** Sets the live names; the agent also writes /etc/hostname through guestfs. */
export async function setVserverUts(
  target: Pick<EnterTarget, "initPid" | "startTime" | "pidfd">,
  names: { hostname?: string; domainname?: string },
): Promise<void> {
  const code = await spawnEnter(encodeUtsSpec(target, names.hostname, names.domainname), ["ignore", "ignore", "ignore"], target.pidfd).done;
  if (code !== 0) throw new Error(`vs-enter uts exited with ${code}`);
}
