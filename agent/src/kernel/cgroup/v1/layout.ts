/**
 * The hierarchies a v1 group lives in: one directory per mounted resource hierarchy
 * (co-mounted controllers such as "cpu,cpuacct" share one), plus tracking-only ones:
 * the named `systemd` hierarchy and, on a hybrid host, the cgroup2 mount. A guest is
 * moved into the tracking ones too so that systemd, which follows its unit's processes
 * there, does not kill the guests when the agent's unit stops.
 */
import path from "node:path";
import { v1ResourceControllers, type CgroupMounts } from "../host-facts";

/** One hierarchy the backend creates groups in. */
export interface V1Place {
  mountpoint: string;
  /** Managed controllers here ([] for tracking-only hierarchies). */
  controllers: string[];
  /** "cgroup2" for the unified mount of a hybrid host, else "cgroup". */
  fstype: "cgroup" | "cgroup2";
}

/** Where each managed controller is, and every place a group is made. */
export interface V1Layout {
  places: V1Place[];
  /** controller name → mountpoint */
  controllerMount: Map<string, string>;
}

const managed: readonly string[] = v1ResourceControllers;

/** Builds the layout from the host's mounts. */
export function v1Layout(mounts: CgroupMounts): V1Layout {
  const places: V1Place[] = [];
  const controllerMount = new Map<string, string>();
  // Resource hierarchies in setup order: cpuset first, since a cpuset group accepts no
  // task before its cpus and mems are set.
  for (const controller of managed) {
    const hierarchy = mounts.v1.find((h) => h.controllers.includes(controller));
    if (!hierarchy || controllerMount.has(controller)) continue;
    const controllers = hierarchy.controllers.filter((c) => managed.includes(c));
    for (const c of controllers) controllerMount.set(c, hierarchy.mountpoint);
    places.push({ mountpoint: hierarchy.mountpoint, controllers, fstype: "cgroup" });
  }
  const systemd = mounts.v1.find((h) => h.name === "systemd" && h.controllers.length === 0);
  if (systemd) places.push({ mountpoint: systemd.mountpoint, controllers: [], fstype: "cgroup" });
  if (mounts.v2) places.push({ mountpoint: mounts.v2, controllers: [], fstype: "cgroup2" });
  return { places, controllerMount };
}

/** A group's directory in a hierarchy. */
export function groupDir(mountpoint: string, parent: string, name: string): string {
  return path.join(mountpoint, parent, name);
}
