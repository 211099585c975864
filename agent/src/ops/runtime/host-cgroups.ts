/**
 * The host's cgroups, opened once per process: the daemon keeps them warm across
 * requests (reading mountinfo and host resources is not free on the start path).
 */
import { openCgroups, type Cgroups } from "../../kernel/cgroup";
import { syncCgroupIo } from "./sync-cgroup-io";

let opened: Promise<Cgroups> | undefined;
let openedParent: string | undefined;

/** The cgroups under `VSERVER_CGROUP_PARENT` (re-opened when that variable changes). */
export function hostCgroups(): Promise<Cgroups> {
  const parent = process.env.VSERVER_CGROUP_PARENT ?? "";
  if (!opened || openedParent !== parent) {
    openedParent = parent;
    opened = openCgroups({ io: syncCgroupIo });
    opened.catch(() => {
      opened = undefined;
    });
  }
  return opened;
}
