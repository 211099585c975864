/** `health`: agent and host facts. */
import os from "node:os";
import fs from "node:fs";
import { protocolVersion, type HealthResult } from "@/lib/protocol";
import { agentVersion } from "../version";
import { detectDiskBackend } from "../kernel/disk";
import { CAP_SYS_RESOURCE, hasCapability } from "../kernel/disk/loop/capability";
import { diskEnvOf } from "../ops/disk/disk-area";
import type { HostPaths } from "../config/paths";
import type { RequestContext } from "./context";
import { ownViewState } from "../ops/runtime/own-view";
import { criuCheckVerdict } from "../kernel/criu-check";

const startedAt = new Date();

/** Which cgroup layout the host mounts. */
export function detectCgroupLayout(): HealthResult["cgroup"] {
  const mounts = fs.readFileSync("/proc/self/mountinfo", "utf8");
  const v2Root = / \/sys\/fs\/cgroup [^ ]* [^-]*- cgroup2 /.test(mounts);
  const v1 = / - cgroup /.test(mounts);
  const v2 = / - cgroup2 /.test(mounts);
  if (v2Root) return "v2";
  if (v1 && v2) return "hybrid";
  if (v1) return "v1";
  return "none";
}

/** What this host can do for new and running servers. */
export function hostCapabilities(paths: HostPaths): HealthResult["capabilities"] {
  const disk = detectDiskBackend(paths.rootDir, diskEnvOf(paths));
  const diskLimits = disk.mode ?? "none";
  return {
    diskLimits,
    diskReason: disk.reason,
    onlineDiskGrow: diskLimits === "project" || (diskLimits === "loop" && hasCapability(CAP_SYS_RESOURCE)),
    ownView: ownViewState(),
    criuCheck: criuCheckVerdict(),
  };
}

/** Handler of the `health` operation. */
export async function health(_input: unknown, ctx: RequestContext): Promise<HealthResult> {
  return {
    agentVersion,
    protocolVersion,
    hostname: os.hostname(),
    kernel: os.release(),
    cgroup: detectCgroupLayout(),
    cpuCores: os.cpus().length,
    memoryMb: Math.floor(os.totalmem() / 1024 / 1024),
    uptimeSeconds: Math.floor(process.uptime()),
    startedAt: startedAt.toISOString(),
    capabilities: hostCapabilities(ctx.paths),
  };
}
