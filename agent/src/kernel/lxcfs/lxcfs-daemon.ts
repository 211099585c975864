/**
 * LXCFS (Debian's `lxcfs`), the FUSE filesystem LXC and Incus use to show a container its
 * own memory, CPUs, uptime and load in /proc files: it answers each read from the cgroups
 * and pid namespace of the process that reads. One daemon per agent host, mounted on a
 * directory of its own under the run dir. It runs detached (its own session: lxcfs 5
 * stays in the foreground, so we detach it), so an agent that stops or crashes leaves it
 * serving the running servers — their /proc files are binds of its mount — and the next
 * agent adopts it by its pid file and mount. Only a deliberate teardown (tests,
 * `stopLxcfs`) ends it.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { AgentFailure } from "../../errors";
import { pidRuns, readPidFile } from "../host/daemon-pid";

const run = promisify(execFile);

/** Where one lxcfs lives: its mount point, pid file and log. */
export interface LxcfsPaths {
  mountDir: string;
  pidFile: string;
  logFile: string;
}

/**
 * The lxcfs argv. -l: per-cgroup load averages (off by default); --enable-cfs: CPU views
 * (cpuinfo, stat, cpu/online) also follow the CFS quota, not only the cpuset;
 * --enable-pidfd: no pid-reuse race when it looks up a reader's init.
 */
export function lxcfsArgs(p: LxcfsPaths): string[] {
  return ["-l", "--enable-cfs", "--enable-pidfd", "-p", p.pidFile, p.mountDir];
}


const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Whether a FUSE lxcfs filesystem is mounted exactly on `dir` (in our mount namespace). */
export function lxcfsMounted(dir: string): boolean {
  for (const line of fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    if (unescape(left.split(" ")[4] ?? "") === dir && right.startsWith("fuse.lxcfs ")) return true;
  }
  return false;
}

/** A read that proves the daemon answers (a dead FUSE daemon's mount says ENOTCONN). */
function answers(mountDir: string): boolean {
  try {
    return fs.readFileSync(path.join(mountDir, "proc", "uptime"), "utf8").length > 0;
  } catch {
    return false;
  }
}

/** The pid of the running lxcfs for `p`, or null when none serves its mount. */
export function runningLxcfs(p: LxcfsPaths): number | null {
  const pid = readPidFile(p.pidFile);
  if (pid === null || !pidRuns(pid, "lxcfs", p.mountDir)) return null;
  return lxcfsMounted(p.mountDir) && answers(p.mountDir) ? pid : null;
}

/** Detaches what a dead or hung lxcfs left on `dir` (lazy: a server may still hold a bind). */
async function clearMount(dir: string): Promise<void> {
  for (let i = 0; i < 8 && lxcfsMounted(dir); i++) await run("umount", ["-l", dir]).catch(() => undefined);
}

/**
 * Makes sure lxcfs serves `p.mountDir`: adopts a running one, else (after clearing what
 * a dead one left) starts one and waits until its mount answers. Returns its pid.
 */
export async function ensureLxcfs(p: LxcfsPaths): Promise<number> {
  const running = runningLxcfs(p);
  if (running !== null) return running;
  const stale = readPidFile(p.pidFile);
  if (stale !== null && pidRuns(stale, "lxcfs", p.mountDir)) {
    try {
      process.kill(stale, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await clearMount(p.mountDir);
  fs.mkdirSync(p.mountDir, { recursive: true, mode: 0o755 });
  fs.rmSync(p.pidFile, { force: true });
  const log = fs.openSync(p.logFile, "a", 0o600);
  let child;
  try {
    child = spawn("lxcfs", lxcfsArgs(p), { detached: true, stdio: ["ignore", log, log] });
  } finally {
    fs.closeSync(log);
  }
  const failed = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(`exited with ${code ?? signal}`));
    child.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ENOENT" ? "lxcfs is not installed" : e.message));
  });
  child.unref();
  for (let i = 0; i < 250; i++) {
    const pid = runningLxcfs(p);
    if (pid !== null) return pid;
    const why = await Promise.race([failed, sleep(20).then(() => undefined)]);
    if (why !== undefined) {
      const tail = fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, "utf8").trim().split("\n").slice(-3).join("; ") : "";
      throw new AgentFailure("KERNEL", `lxcfs did not start: ${why}${tail ? ` (${tail})` : ""}`);
    }
  }
  try {
    process.kill(child.pid!, "SIGKILL");
  } catch {
    // gone
  }
  throw new AgentFailure("KERNEL", `lxcfs started but did not answer on ${p.mountDir} within 5 s`);
}

/** Stops lxcfs for `p` and detaches its mount (servers still holding binds see ENOTCONN). */
export async function stopLxcfs(p: LxcfsPaths, timeoutMs = 10_000): Promise<void> {
  const pid = readPidFile(p.pidFile);
  if (pid !== null && pidRuns(pid, "lxcfs", p.mountDir)) {
    try {
      // lxcfs unmounts its filesystem itself on SIGTERM.
      process.kill(pid, "SIGTERM");
    } catch {
      // gone
    }
    const deadline = Date.now() + timeoutMs;
    while (pidRuns(pid, "lxcfs", p.mountDir) && Date.now() < deadline) await sleep(20);
    if (pidRuns(pid, "lxcfs", p.mountDir)) process.kill(pid, "SIGKILL");
    while (pidRuns(pid, "lxcfs", p.mountDir)) await sleep(20);
  }
  await clearMount(p.mountDir);
  fs.rmSync(p.pidFile, { force: true });
}
