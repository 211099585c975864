/**
 * Checks a limits change against this host before anything is written: CPUs and RAM the
 * host has, the disk that holds the root, the network rate bounds, and combinations the
 * host's cgroup version cannot enforce. The cgroup layer checks the same when it writes a
 * running server's group, but a stopped server's change is only persisted, and a build
 * only writes files: without this check "--memory 100T" would be accepted there and the
 * server would then fail to start. Errors name the wire field (`limits.memory`).
 */
import type { VserverLimits, VserverLimitsPatch } from "@/lib/protocol/vservers";
import { AgentFailure } from "../../errors";
import { checkBlockDevice, readHostResources, validateLimits, type Cgroups } from "../../kernel/cgroup";
import { checkBitRate } from "../../kernel/net/bit-rate";
import { cgroupPatchOf } from "./cgroup-limits";

/** The wire field of each cgroup field (io errors name the whole IO group). */
const WIRE_FIELD: Record<string, string> = {
  cpuQuota: "cpu",
  cpuWeight: "cpuWeight",
  memory: "memory",
  swap: "swap",
  pids: "pids",
};

function wireField(cgroupField: string): string {
  const io = /^io\[\d+\]\.(readBps|writeBps|readIops|writeIops)$/.exec(cgroupField);
  if (io) return { readBps: "ioReadBps", writeBps: "ioWriteBps", readIops: "ioReadIops", writeIops: "ioWriteIops" }[io[1] as "readBps"];
  // The IO device (io[0].device, or the root's path it comes from) is shared by all four.
  if (cgroupField.startsWith("io") || cgroupField === "path") return "ioReadBps";
  return WIRE_FIELD[cgroupField] ?? cgroupField;
}

/** Re-raises a cgroup-layer refusal under the wire's field name. */
function renamed(e: unknown): unknown {
  if (!(e instanceof AgentFailure) || !e.field) return e;
  const field = `limits.${wireField(e.field)}`;
  const text = e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
  return new AgentFailure(e.code, `${field}: ${text}`, field, { cause: e });
}

/**
 * Throws BAD_REQUEST/UNSUPPORTED when `patch` on top of `current` cannot be enforced on
 * this host. `root` is the server's root (for the IO device); null during a build, when
 * the root (and, with a disk limit, its device) does not exist yet: the IO device is
 * then checked at the first start.
 */
export async function checkHostLimits(cg: Pick<Cgroups, "version">, root: string | null, current: VserverLimits, patch: VserverLimitsPatch): Promise<void> {
  const { diskBytes: _b, diskInodes: _i, netRate, ioReadBps, ioWriteBps, ioReadIops, ioWriteIops, ...cpuMemory } = patch;
  if (netRate !== undefined) checkBitRate(netRate, "limits.netRate");
  const next = { ...current, ...patch };
  if (cg.version === "v1" && next.swap !== null && next.memory === null && (patch.swap !== undefined || patch.memory !== undefined)) {
    const field = patch.swap !== undefined ? "limits.swap" : "limits.memory";
    throw new AgentFailure("UNSUPPORTED", `${field}: on this host (cgroup v1) a swap limit needs a memory limit; set swap to unlimited as well`, field);
  }
  const forCheck = root === null ? cpuMemory : { ...cpuMemory, ioReadBps, ioWriteBps, ioReadIops, ioWriteIops };
  try {
    const cgPatch = await cgroupPatchOf(root ?? "/", current, forCheck);
    await validateLimits(cgPatch, { resources: await readHostResources(), checkDevice: (d) => checkBlockDevice(d) });
  } catch (e) {
    throw renamed(e);
  }
}
