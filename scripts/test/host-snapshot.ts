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

/** A named set of things per category. */
export type Snapshot = Record<string, Set<string>>;

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
    cgroups: new Set(cgroups()),
    mounts: new Set(mountinfo.map((l) => l.split(" ")[4] ?? "")),
    loops: new Set(lines("losetup", ["-a", "-n", "-O", "NAME,BACK-FILE"])),
    netns: new Set(lines("ip", ["netns", "list"])),
    links: new Set(lines("ip", ["-o", "link", "show"]).map((l) => l.split(":")[1]?.trim().split("@")[0] ?? "")),
    nft: new Set(lines("nft", ["list", "tables"])),
    processes: new Set(processes(process.pid)),
  };
}

/**
 * Describes what `after` has that `before` had not (processes: only those still alive),
 * except host-wide first-use state (first-use-state.ts says why each is not a leak).
 */
export function leaks(before: Snapshot, after: Snapshot): string[] {
  const found: string[] = [];
  for (const [kind, items] of Object.entries(after)) {
    for (const item of items) {
      if (before[kind]?.has(item) || firstUseState.some((f) => f.kind === kind && f.item === item)) continue;
      found.push(`${kind}: ${item}`);
    }
  }
  return found;
}
