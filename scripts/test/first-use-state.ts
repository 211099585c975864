/**
 * Host state that a machine gains the first time a tool is used on it, shared by
 * everything on the host and never removed by the tool again: `ip netns add` makes
 * `/run/netns` a (shared) mount point on its first call. A test that names a network
 * namespace makes it as a side effect, so the leak check must not count it against that
 * test (it is excluded there, with this reason). And because such state hides a test's
 * dependence on it (the suite passed for months on machines where it already existed and
 * failed on a fresh one), the runner puts the host back into its first-use condition
 * before the root phase, whenever nothing uses the state: every run sees what a fresh
 * machine sees.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** One piece of first-use state, as the leak check names it, and why it is not a leak. */
export interface FirstUseState {
  kind: "mounts";
  item: string;
  why: string;
}

/** The first-use state the suite knows of. */
export const firstUseState: FirstUseState[] = [
  {
    kind: "mounts",
    item: "/run/netns",
    why: "iproute2 makes /run/netns a shared mount point at the first `ip netns add` on a machine and keeps it for every later namespace of anyone",
  },
];

function mountedAt(point: string): number {
  return fs
    .readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((l) => l.split(" ")[4] === point).length;
}

/**
 * Unmounts `/run/netns` when nothing is in it (no network namespace of anyone is bound
 * there), as often as it is stacked, so the root phase starts as on a machine that never
 * used `ip netns`. Returns what it did, for the log. A namespace in it leaves it alone.
 */
export function resetFirstUseState(): string[] {
  const done: string[] = [];
  const point = "/run/netns";
  let entries: string[];
  try {
    entries = fs.readdirSync(point);
  } catch {
    return done; // never made: already fresh
  }
  if (entries.length > 0) return done;
  for (let n = mountedAt(point); n > 0; n--) execFileSync("umount", [point], { stdio: "ignore" });
  if (mountedAt(point) === 0) {
    fs.rmdirSync(point);
    done.push(`unmounted and removed the empty ${point} (as on a machine that never ran \`ip netns add\`)`);
  }
  return done;
}
