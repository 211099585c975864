/**
 * Walking a group and the child groups a guest may have made inside it (with a cgroup
 * namespace and a writable cgroupfs, guest root can mkdir there): listing all their
 * processes and removing the whole subtree bottom-up. Same on v1 and v2.
 */
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { errnoOf, type CgroupIo } from "./cgroup-io";

/** The directory and every descendant directory, parents before children. */
export async function subtree(io: CgroupIo, dir: string): Promise<string[]> {
  if (!(await io.exists(dir))) return [];
  const result = [dir];
  for (const child of await io.subdirs(dir)) result.push(...(await subtree(io, path.join(dir, child))));
  return result;
}

/** Pids in `cgroup.procs` of the directory and its descendants. */
export async function pidsInTree(io: CgroupIo, dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const group of await subtree(io, dir)) {
    const text = await io.read(path.join(group, "cgroup.procs")).catch((error: unknown) => {
      if (errnoOf(error) === "ENOENT") return ""; // removed while we walked
      throw error;
    });
    for (const line of text.split("\n")) if (line.trim()) pids.push(Number(line));
  }
  return pids;
}

/**
 * Removes the directory and its descendants, children first. rmdir of a cgroup whose
 * last process has just exited can fail with EBUSY for a moment while the kernel
 * finishes the exit, so EBUSY is retried for up to `retryMs`.
 */
export async function removeTree(io: CgroupIo, dir: string, retryMs = 2000): Promise<void> {
  const dirs = (await subtree(io, dir)).reverse();
  for (const group of dirs) {
    const deadline = Date.now() + retryMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        await io.rmdir(group);
        break;
      } catch (error) {
        if (errnoOf(error) !== "EBUSY" || Date.now() > deadline) throw error;
        await sleep(delay);
      }
    }
  }
}
