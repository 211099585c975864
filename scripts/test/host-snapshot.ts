/**
 * What a root test could leave behind on the host: cgroups, mounts, loop devices,
 * network namespaces, links, nft tables and processes. The runner takes a snapshot
 * before and after each root test file and fails the run on any difference, so a test
 * that forgets its cleanup (also on failure) is caught where it happens.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { firstUseState } from "./first-use-state";

/** What a snapshot holds: a named set of things per category, and every pid that ran. */
export interface Snapshot {
  kinds: Record<string, Set<string>>;
  /** All processes at the time (not only the ones that look like a test's), for ancestry. */
  pids: Set<number>;
}

/**
 * A tool's output lines. A tool that is missing or fails makes the snapshot fail: an
 * empty list in its place would pass every later comparison and switch the check off.
 */
export function lines(cmd: string, args: string[]): string[] {
  try {
    return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"] }).toString().split("\n").filter(Boolean);
  } catch (e) {
    const err = e as { code?: string; status?: number; stderr?: Buffer };
    const why = err.code === "ENOENT" ? "is not installed" : `failed (exit ${err.status ?? "?"}): ${err.stderr?.toString().trim().split("\n")[0] ?? ""}`;
    throw new Error(`the leak check cannot look at the host: \`${cmd} ${args.join(" ")}\` ${why}`);
  }
}

function cgroups(): string[] {
  const base = "/sys/fs/cgroup";
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const full = path.join(dir, e.name);
      // systemd's own scopes come and go; only look where tests work.
      if (/\.(scope|slice|service|mount|socket)$/.test(e.name)) continue;
      out.push(path.relative(base, full));
      if (depth < 3) walk(full, depth + 1);
    }
  };
  for (const ctrl of fs.existsSync(base) ? fs.readdirSync(base) : []) walk(path.join(base, ctrl), 1);
  return out;
}

const repoRoot = path.resolve(import.meta.dirname, "..", "..");

/**
 * Processes a test of this checkout could have left: those working in this checkout or
 * in a temporary directory (vservers under /tmp/vst-*). Other checkouts' processes on a
 * shared development machine are not this run's leaks.
 */
function processes(self: number): string[] {
  const out: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (!cmd || Number(pid) === self) continue; // kernel threads have no cmdline
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      const ours = cwd === repoRoot || cwd.startsWith(`${repoRoot}/`) || cwd.startsWith("/tmp/") || cwd === "/";
      if (!ours) continue;
      out.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Takes a snapshot of the host. */
export function snapshotHost(): Snapshot {
  const mountinfo = fs.readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter(Boolean);
  return {
    kinds: {
      cgroups: new Set(cgroups()),
      mounts: new Set(mountinfo.map((l) => l.split(" ")[4] ?? "")),
      loops: new Set(lines("losetup", ["-a", "-n", "-O", "NAME,BACK-FILE"])),
      netns: new Set(lines("ip", ["netns", "list"])),
      links: new Set(lines("ip", ["-o", "link", "show"]).map((l) => l.split(":")[1]?.trim().split("@")[0] ?? "")),
      nft: new Set(lines("nft", ["list", "tables"])),
      processes: new Set(processes(process.pid)),
    },
    pids: allPids(),
  };
}

function allPids(): Set<number> {
  return new Set(fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map(Number));
}

function parentOf(pid: number): number {
  try {
    // The parent pid is the 2nd field after the parenthesised command, which may hold spaces.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return 0;
  }
}

/**
 * Whether a process that appeared during a test file is someone else's: its nearest
 * ancestor that was already running before the file is neither this runner (whose
 * children the tests are) nor PID 1 (which adopts a daemon a test left behind). A
 * command someone runs beside the suite on a development machine descends from their
 * own shell or tool and is not this run's leak; on CI nothing else runs.
 */
export function foreignProcess(pid: number, before: Set<number>, runner: number, parent: (pid: number) => number = parentOf): boolean {
  let p = parent(pid);
  for (let hops = 0; p > 1 && hops < 64; hops++) {
    if (before.has(p)) return p !== runner;
    p = parent(p);
  }
  return false;
}

function cgroupProcs(rel: string): number[] {
  try {
    return fs.readFileSync(path.join("/sys/fs/cgroup", rel, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Describes what `after` has that `before` had not (processes: only those still alive),
 * except host-wide first-use state (first-use-state.ts says why each is not a leak) and
 * what belongs to processes outside this run (see {@link foreignProcess}): their own
 * processes, and a new cgroup whose every process is theirs.
 */
export function leaks(before: Snapshot, after: Snapshot, runner = process.pid, procsOf: (cgroup: string) => number[] = cgroupProcs, parent?: (pid: number) => number): string[] {
  const found: string[] = [];
  const foreign = (pid: number) => foreignProcess(pid, before.pids, runner, parent);
  for (const [kind, items] of Object.entries(after.kinds)) {
    for (const item of items) {
      if (before.kinds[kind]?.has(item) || firstUseState.some((f) => f.kind === kind && f.item === item)) continue;
      if (kind === "processes" && foreign(Number(item.split(" ")[0]))) continue;
      if (kind === "cgroups") {
        const procs = procsOf(item);
        if (procs.length > 0 && procs.every(foreign)) continue;
      }
      found.push(`${kind}: ${item}`);
    }
  }
  return found;
}
