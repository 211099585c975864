/**
 * `vlimit NAME --memory 256M …`: validates the whole patch, applies it to a running
 * server (cgroup, then network rate) and persists it in `limits/`. A kernel refusal
 * (e.g. memory below current use: BUSY) changes nothing, neither live nor on disk.
 */
import { vserverLimitsPatch, type VserverLimits, type VserverLimitsPatch } from "@/lib/protocol/vservers";
import { AgentFailure, badInput } from "../../errors";
import { setDiskLimit } from "../../kernel/disk";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeLimitsPatch } from "../../config/vserver/write-config";
import { setVserverRate } from "../../kernel/net";
import { withServerLock } from "../locks";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";
import { cgroupPatchOf, checkEnforceable } from "./cgroup-limits";

/** Applies `patch` to `name`; returns all limits now configured. */
export async function setLimits(paths: HostPaths, name: string, patch: VserverLimitsPatch): Promise<VserverLimits> {
  const parsed = vserverLimitsPatch.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(`limits.${issue.path.join(".")}`, issue.message);
  }
  checkEnforceable(parsed.data);
  return withServerLock(paths, name, async () => {
    const cfg = readVserverConfig(paths, name);
    const state = readRunState(paths, name);
    const running = state !== null && initAlive(state);
    const { diskBytes, diskInodes } = parsed.data;
    if (diskBytes !== undefined || diskInodes !== undefined) {
      if (diskBytes === null || diskInodes === null || diskModeOf(paths, name) === "none") {
        const field = diskBytes !== undefined ? "limits.diskBytes" : "limits.diskInodes";
        throw new AgentFailure("UNSUPPORTED", `${field}: disk limits are set when a server is built and can be changed, not added or removed`, field);
      }
      await setDiskLimit(name, { bytes: diskBytes, inodes: diskInodes }, { running, ...diskEnvOf(paths) });
    }
    if (running && state) {
      const cg = await hostCgroups();
      const { netRate, diskBytes: _b, diskInodes: _i, ...rest } = parsed.data;
      const cgPatch = await cgroupPatchOf(cfg.root, cfg.limits, rest);
      const before = await cg.readLimits(name);
      if (Object.keys(cgPatch).length > 0) await cg.setLimits(name, cgPatch);
      if (netRate !== undefined && state.network) {
        try {
          await setVserverRate(cfg.context, { in: netRate, out: netRate }, paths);
        } catch (e) {
          // Keep live and persisted limits in step: undo the cgroup part.
          await cg.setLimits(name, { ...before, io: cgPatch.io ? before.io : undefined }).catch(() => undefined);
          throw e;
        }
      }
    }
    writeLimitsPatch(paths, name, parsed.data);
    return { ...cfg.limits, ...parsed.data };
  });
}
