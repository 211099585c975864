/**
 * The agent's entry point to cgroups: looks at what the host mounts and returns the
 * backend that drives its resource controllers (v1 on v1 and hybrid hosts, v2 on pure
 * v2 hosts), under the configured parent.
 */
import { AgentFailure } from "../../errors";
import { checkBlockDevice } from "./block-device";
import { nodeCgroupIo, type CgroupIo } from "./cgroup-io";
import { V2DeviceFilter, type DeviceFilter } from "./device-filter";
import { resolveParent } from "./group-name";
import { pickBackend, readCgroupMounts, readHostResources, type CgroupMounts, type HostResources } from "./host-facts";
import { loadDeviceFilterNative } from "./load-device-native";
import type { Cgroups } from "./types";
import { CgroupV1 } from "./v1/backend";
import { CgroupV2 } from "./v2/backend";

/** Overrides for {@link openCgroups}; everything defaults to the real host. */
export interface OpenCgroupsOptions {
  /** Parent group; else `VSERVER_CGROUP_PARENT`, else "vservers". */
  parent?: string;
  /** Force a backend (e.g. "v2" on a hybrid host's cgroup2 mount); default: by host. */
  backend?: "v1" | "v2";
  /** The cgroup2 root for the v2 backend; default: where cgroup2 is mounted. */
  v2Root?: string;
  mounts?: CgroupMounts;
  resources?: HostResources;
  io?: CgroupIo;
  /** The v2 device filter; default: the native eBPF one if the module has it. */
  deviceFilter?: DeviceFilter;
}

/** Opens the host's cgroups. Throws UNSUPPORTED on a host without usable cgroups. */
export async function openCgroups(options: OpenCgroupsOptions = {}): Promise<Cgroups> {
  const parent = resolveParent(options.parent);
  const mounts = options.mounts ?? (await readCgroupMounts());
  const resources = options.resources ?? (await readHostResources());
  const limits = { resources, checkDevice: (device: string) => checkBlockDevice(device) };
  const io = options.io ?? nodeCgroupIo;
  const backend = options.backend ?? pickBackend(mounts);
  if (backend === "v1") return new CgroupV1({ mounts, parent, limits, io });
  const root = options.v2Root ?? mounts.v2;
  if (backend === "v2" && root) {
    const deviceFilter =
      options.deviceFilter ??
      (() => {
        const lookup = loadDeviceFilterNative();
        return new V2DeviceFilter(lookup.native, lookup.reason ?? undefined);
      })();
    return CgroupV2.open({ root, parent, limits, io, deviceFilter });
  }
  throw new AgentFailure("UNSUPPORTED", "no usable cgroup hierarchy is mounted on this host");
}
