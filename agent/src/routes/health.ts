/** `health`: agent and host facts. */
import os from "node:os";
import fs from "node:fs";
import { protocolVersion, type HealthResult } from "@/lib/protocol";
import { agentVersion } from "../version";

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

/** Handler of the `health` operation. */
export async function health(): Promise<HealthResult> {
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
  };
}
