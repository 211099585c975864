/**
 * A throwaway v1 cgroup set for kernel tests (/sys/fs/cgroup/{pids,memory,freezer,
 * devices}/vst-*) with the device policy a vserver needs: mknod allowed for any node,
 * open only of the default /dev nodes and ptys. The real cgroup engine lives in
 * agent/src/kernel/cgroup; this is only enough to exercise the start sequence.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { killAndRemoveCgroup } from "./cleanup";

const CONTROLLERS = ["pids", "memory", "freezer", "devices"] as const;

/** Device cgroup v1 rules: deny all, then these (mknod of anything, open of few). */
export const TEST_DEVICE_ALLOW = [
  "c *:* m", "b *:* m",
  "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
  "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm",
];

/** A created cgroup set: the cgroup.procs files for a spec and a cleanup. */
export interface TestCgroup {
  name: string;
  dirs: string[];
  procsFiles: string[];
  /** Kills every process in the set and removes the directories. */
  cleanup(): Promise<void>;
}

/** Creates `vst-<suffix>` in each v1 controller available here. */
export function makeTestCgroup(suffix: string): TestCgroup {
  const name = `vst-${suffix}`;
  const dirs: string[] = [];
  for (const c of CONTROLLERS) {
    const parent = `/sys/fs/cgroup/${c}`;
    if (!existsSync(`${parent}/cgroup.procs`)) continue;
    const dir = `${parent}/${name}`;
    mkdirSync(dir);
    dirs.push(dir);
    if (c === "devices") {
      writeFileSync(`${dir}/devices.deny`, "a");
      for (const rule of TEST_DEVICE_ALLOW) writeFileSync(`${dir}/devices.allow`, rule);
    }
    if (c === "pids") writeFileSync(`${dir}/pids.max`, "512");
  }
  return {
    name,
    dirs,
    procsFiles: dirs.map((d) => `${d}/cgroup.procs`),
    async cleanup() {
      for (const d of dirs) await killAndRemoveCgroup(d);
    },
  };
}
