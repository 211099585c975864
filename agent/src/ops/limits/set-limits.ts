/**
 * `vlimit NAME --memory 256M …`: validates the whole patch (also against the host, see
 * check-host-limits.ts), applies it to a running server (cgroup, network rate, then the
 * disk) and persists it in `limits/`. A refusal or a kernel failure half-way (e.g. memory
 * below current use: BUSY) changes nothing, neither live nor on disk: the steps already
 * made are undone. The disk goes last because its change is the one that cannot always
 * be undone (a shrink is offline only).
 */
import type { VserverLimits, VserverLimitsPatch } from "@/lib/protocol/vservers";
import { AgentFailure } from "../../errors";
import { setDiskLimit } from "../../kernel/disk";
import type { CgroupLimits, CgroupLimitsPatch } from "../../kernel/cgroup";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeLimitsPatch } from "../../config/vserver/write-config";
import { setVserverRate } from "../../kernel/net";
import { withServerLock } from "../locks";
import { withReverter } from "../reverter";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";
import { cgroupPatchOf, checkEnforceable } from "./cgroup-limits";
import { checkHostLimits } from "./check-host-limits";
import { cpusFor } from "./cpu-pinning";

/** The fields of `before` that `patch` changes: writing this puts them back. */
function restoreOf(before: CgroupLimits, patch: CgroupLimitsPatch): CgroupLimitsPatch {
  return Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof CgroupLimits]]));
}

/** The disk layer names its fields `bytes`/`inodes`; the wire's are limits.diskBytes/diskInodes. */
function diskFieldRenamed(e: unknown): unknown {
  if (!(e instanceof AgentFailure) || (e.field !== "bytes" && e.field !== "inodes")) return e;
  const field = e.field === "bytes" ? "limits.diskBytes" : "limits.diskInodes";
  const text = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
  return new AgentFailure(e.code, `${field}: ${text}`, field, { cause: e });
}

/** Applies `patch` to `name`; returns all limits now configured. The patch is parsed
 * (vserverLimitsPatch) by the caller's edge: the HTTP server or the CLI's options. */
export async function setLimits(paths: HostPaths, name: string, patch: VserverLimitsPatch): Promise<VserverLimits> {
  checkEnforceable(patch);
  return withServerLock(paths, name, async () => {
    const cfg = readVserverConfig(paths, name);
    const state = readRunState(paths, name);
    const running = state !== null && initAlive(state);
    const { diskBytes, diskInodes, netRate, ...cgroupPart } = patch;
    const touchesDisk = diskBytes !== undefined || diskInodes !== undefined;
    if (touchesDisk && (diskBytes === null || diskInodes === null || diskModeOf(paths, name) === "none")) {
      const field = diskBytes !== undefined ? "limits.diskBytes" : "limits.diskInodes";
      throw new AgentFailure("UNSUPPORTED", `${field}: disk limits are set when a server is built and can be changed, not added or removed`, field);
    }
    const cg = await hostCgroups();
    await checkHostLimits(cg, cfg.root, cfg.limits, patch);
    return withReverter(async (r) => {
      if (running && state) {
        const cgPatch = await cgroupPatchOf(cfg.root, cfg.limits, cgroupPart);
        // nproc follows the CPU limit (cpu-pinning.ts).
        const cpus = cgroupPart.cpu !== undefined ? cpusFor(cg, name, cgroupPart.cpu) : undefined;
        if (cpus !== undefined) cgPatch.cpus = cpus;
        if (Object.keys(cgPatch).length > 0) {
          const before = await cg.readLimits(name);
          await cg.setLimits(name, cgPatch);
          r.push("cgroup limits", () => cg.setLimits(name, restoreOf(before, cgPatch)));
        }
        // A server without addresses has no veth to shape: its rate applies at the next
        // start that attaches a network.
        if (netRate !== undefined && netRate !== cfg.limits.netRate && state.network) {
          const old = cfg.limits.netRate;
          r.push("network rate", () => setVserverRate(cfg.context, { in: old, out: old }, paths));
          await setVserverRate(cfg.context, { in: netRate, out: netRate }, paths);
        }
      }
      if (touchesDisk) {
        await setDiskLimit(name, { bytes: diskBytes ?? undefined, inodes: diskInodes ?? undefined }, { running, ...diskEnvOf(paths) }).catch((e: unknown) => {
          throw diskFieldRenamed(e);
        });
      }
      writeLimitsPatch(paths, name, patch);
      return { ...cfg.limits, ...patch };
    });
  });
}
