/**
 * Cleanup for kernel tests: every resource a test makes is removed in `after`, also
 * when the test failed half-way. Each helper tolerates "already gone".
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Mount points at or below `prefix` in our mount namespace, deepest first. */
export function mountsUnder(prefix: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const mp = line.split(" ")[4];
    if (mp === undefined) continue;
    const path = mp.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) out.push(path);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Lazily unmounts everything at or below `prefix`. */
export function umountUnder(prefix: string): void {
  for (let pass = 0; pass < 4; pass++) {
    const mps = mountsUnder(prefix);
    if (mps.length === 0) return;
    for (const mp of mps) {
      try {
        execFileSync("umount", ["-l", mp], { stdio: "ignore" });
      } catch {
        /* raced with another umount */
      }
    }
  }
}

/** Detaches a loop device (ignores one that is already gone). */
export function detachLoop(dev: string): void {
  try {
    execFileSync("losetup", ["-d", dev], { stdio: "ignore" });
  } catch {
    /* already detached */
  }
}

/** Pids in a cgroup directory (v1 or v2 cgroup.procs); empty when it is gone. */
export function cgroupPids(dir: string): number[] {
  try {
    return readFileSync(`${dir}/cgroup.procs`, "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** SIGKILLs every process in the cgroup until it is empty, then removes the cgroup. */
export async function killAndRemoveCgroup(dir: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const pids = cgroupPids(dir);
    if (pids.length === 0) break;
    for (const p of pids) {
      try {
        process.kill(p, "SIGKILL");
      } catch {
        /* exited meanwhile */
      }
    }
    await sleep(25);
  }
  for (let i = 0; i < 200; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY") throw e;
      await sleep(25);
    }
  }
}

/** Waits until `pid` no longer exists (a bounded wait; false when it is still there). */
export async function waitGone(pid: number, tries = 400): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(25);
  }
  return false;
}
