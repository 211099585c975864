/**
 * cgroup v2 hands a controller to a group only when every ancestor lists it in its
 * cgroup.subtree_control. The agent enables the ones it needs, and only those the
 * root offers, on the way down from the mount to the parent of the vserver groups.
 */
import path from "node:path";
import { AgentFailure } from "../../../errors";
import { errnoOf, type CgroupIo } from "../cgroup-io";

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** Enables `wanted` (those available) in `dir`'s subtree_control; returns what it wrote. */
export async function enableControllers(io: CgroupIo, dir: string, wanted: readonly string[]): Promise<string | null> {
  const available = new Set(words(await io.read(path.join(dir, "cgroup.controllers"))));
  const enabled = new Set(words(await io.read(path.join(dir, "cgroup.subtree_control"))));
  const missing = wanted.filter((c) => available.has(c) && !enabled.has(c));
  if (missing.length === 0) return null;
  const file = path.join(dir, "cgroup.subtree_control");
  const value = missing.map((c) => `+${c}`).join(" ");
  try {
    await io.write(file, value);
    return value;
  } catch (error) {
    // One write enables all or none; say which controller the kernel refused.
    for (const controller of missing) {
      try {
        await io.write(file, `+${controller}`);
      } catch (single) {
        const hint =
          errnoOf(single) === "EBUSY"
            ? ": the group has processes of its own, and v2 only gives controllers to groups without (no internal processes)"
            : "";
        throw new AgentFailure("KERNEL", `${(single as Error).message}${hint}`, undefined, { cause: single });
      }
    }
    throw error;
  }
}
