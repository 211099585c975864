/**
 * `vserver --host-info`: how this host enforces limits and networks its servers, so an
 * admin can tell which disk mode new servers get (project quotas or loop images, and
 * why), which cgroup backend runs, and how servers are networked.
 */
import type { HostPaths } from "../../config/paths";
import { readCgroupHostFacts, type CgroupLayout } from "../../kernel/cgroup";
import { detectDiskBackend } from "../../kernel/disk";
import { readHostNetworkConfig, type HostNetworkConfig } from "../network/network-config";
import { diskEnvOf } from "../disk/disk-area";

/** What `vserver --host-info` reports. */
export interface HostInfo {
  cgroup: { layout: CgroupLayout; backend: "v1" | "v2" | null; controllers: string[]; deviceFilter: string; v2Mount: string | null };
  /** The disk-limit mode new servers get here (null: none possible), and why. */
  disk: { mode: "project" | "loop" | null; fs: string; mountPoint: string; reason: string };
  network: HostNetworkConfig;
  resources: { cpus: number; memoryBytes: number };
}

/** Reads the host's facts (no changes). */
export async function hostInfo(paths: HostPaths): Promise<HostInfo> {
  const facts = await readCgroupHostFacts();
  const disk = detectDiskBackend(paths.rootDir, diskEnvOf(paths));
  return {
    cgroup: { layout: facts.layout, backend: facts.backend, controllers: facts.controllers, deviceFilter: facts.deviceFilter, v2Mount: facts.mounts.v2 },
    disk: { mode: disk.mode, fs: disk.fs, mountPoint: disk.mountPoint, reason: disk.reason },
    network: readHostNetworkConfig(paths),
    resources: { cpus: facts.resources.cpuCount, memoryBytes: facts.resources.memoryBytes },
  };
}
