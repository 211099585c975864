/** A vserver's configuration as read (and validated) from its util-vserver directory. */
import type { InterfaceAddress } from "@/lib/protocol/names";
import type { DesiredState, VserverLimits } from "@/lib/protocol/vservers";
import type { VserverFlag } from "./flags";
import type { FstabEntry } from "./fstab";
import type { UidMap } from "./uidmap";

/** How the guest's init is asked to shut down (`apps/init/style`). */
export type InitStyle = "busybox" | "sysv" | "systemd" | "plain";

/** Everything `VSERVER_CONFDIR/NAME/` says. */
export interface VserverConfig {
  name: string;
  /** `context`: host-unique id (also names the network links). */
  context: number;
  /** `uts/nodename`, `uts/domainname`. */
  nodename: string;
  domainname: string;
  /** `bcapabilities`, normalized (`CAP_X` adds, `~CAP_X` removes). */
  bcapabilities: string[];
  flags: VserverFlag[];
  fstab: FstabEntry[];
  /** `apps/init/mark` contains `default`. */
  startOnBoot: boolean;
  /** `desired`: what was last decided (running, stopped, suspended) and by whom; null =
   * no record (a util-vserver configuration: the mark alone decides the boot start). */
  desired: DesiredState | null;
  /** `apps/init/style`; null = detect from the running init's executable. */
  initStyle: InitStyle | null;
  /** `init/argv`, one word per line; default ["/sbin/init"]. */
  initArgv: string[];
  /** Host path of the root, from the `vdir` link. */
  root: string;
  interfaces: InterfaceAddress[];
  limits: VserverLimits;
  /** `nameservers`, one address per line (for the guest's /etc/resolv.conf). */
  nameservers: string[];
  buildMethod: string | null;
  distribution: string | null;
  /** `uidmap/`: the server's own user namespace and uid range; null = shared uids. */
  uidmap: UidMap | null;
}
