/**
 * A throwaway vserver host for root tests: VSERVER_CONFDIR/ROOTDIR/RUNDIR under a fresh
 * /tmp/vst-*, a `vst-*` cgroup parent, an owner record (so a later run can tell a killed
 * run's host from a live one) and a cleanup that removes everything the host holds.
 * The environment variables are set in this process too, so ops called in-process and
 * CLI/daemon children agree on the host.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { listServerNames } from "../../config/vserver/layout";
import { waitGone } from "../../testing/cleanup";
import { umountUnder } from "../../testing/cleanup";
import { detachVserverNetwork } from "../../kernel/net";
import { releaseDiskArea } from "../../kernel/disk";
import { removeRoot } from "../build/build-vserver";
import { diskEnvOf, hasDiskRecord } from "../disk/disk-area";
import { hostCgroups } from "../runtime/host-cgroups";
import { readStartTime } from "../../kernel/launch/proc-stat";
import { withServerLock } from "../locks";
import { setRestartPolicyLocked } from "../lifecycle/set-restart-policy";
import { readRunState } from "../runtime/run-state";
import { historyPaths } from "../history/history-paths";
import { stopDaemon } from "../history/rrdcached-daemon";
import { stopOwnView } from "../runtime/own-view";
import { releaseAgentClaims } from "../allocation/host-claims";

/** A temp host. */
export interface TempHost {
  base: string;
  paths: HostPaths;
  /** Environment for children (CLI, daemon) with the VSERVER_* variables. */
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

const repo = path.resolve(import.meta.dirname, "../../../..");

/** Runs `scripts/build-agent.ts` so the CLI tests run the code as it ships (the bundle). */
export function buildBundle(): void {
  execFileSync(process.execPath, ["--import", "tsx", path.join(repo, "scripts/build-agent.ts")], { cwd: repo, stdio: "ignore" });
}

/** Path of a tool in agent/bin. */
export function binPath(tool: string): string {
  return path.join(repo, "agent", "bin", tool);
}

/** Pids of processes whose command line mentions `needle` (hooks of this host). */
function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/environ`, "latin1").includes(needle)) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The file in a temp host's base that names the process that made it (see stale-temp-hosts.ts). */
export const OWNER_FILE = ".owner";

/** The VSERVER_* variables of a temp host at `base`. */
export function tempHostEnv(base: string): Record<string, string> {
  return {
    VSERVER_CONFDIR: path.join(base, "etc"),
    VSERVER_ROOTDIR: path.join(base, "root"),
    VSERVER_RUNDIR: path.join(base, "run"),
    VSERVER_CGROUP_PARENT: path.basename(base),
  };
}

/** Creates the host, recording this process as its owner. */
export function makeTempHost(): TempHost {
  const base = fs.mkdtempSync("/tmp/vst-");
  fs.writeFileSync(path.join(base, OWNER_FILE), JSON.stringify({ pid: process.pid, startTime: readStartTime(process.pid) }));
  Object.assign(process.env, tempHostEnv(base));
  const env = { ...process.env };
  return {
    base,
    paths: pathsOf(base),
    env,
    cleanup: () => cleanupTempHost(base),
  };
}

function pathsOf(base: string): HostPaths {
  const env = tempHostEnv(base);
  return { confDir: env.VSERVER_CONFDIR!, rootDir: env.VSERVER_ROOTDIR!, runDir: env.VSERVER_RUNDIR! };
}

/**
 * Removes a temp host and all it holds: kills every server (through its cgroup),
 * detaches networks, releases disk areas, removes roots (fd walk), cgroups (also the
 * parent in every hierarchy), waits for leftover monitors/hooks and removes the dirs.
 * Points this process's VSERVER_* variables at the host (the cgroup and disk code read
 * them), as makeTempHost did.
 */
export async function cleanupTempHost(base: string): Promise<void> {
  const paths = pathsOf(base);
  Object.assign(process.env, tempHostEnv(base));
  // The host's rrdcached (a daemon that was killed leaves it running, as it should).
  await stopDaemon(historyPaths(paths, {} as NodeJS.ProcessEnv), 5000).catch(() => undefined);
  const cg = await hostCgroups();
  for (const name of listServerNames(paths)) {
    // Under the lock, so a restart the policy is making right now ends first and is killed below.
    await withServerLock(paths, name, async () => setRestartPolicyLocked(paths, name, "never"), 10_000).catch(() => undefined);
    const state = readRunState(paths, name);
    if (await cg.exists(name)) await cg.killAll(name, "SIGKILL").catch(() => undefined);
    if (state?.network) await detachVserverNetwork(state.context, paths).catch(() => undefined);
    await cg.remove(name, { kill: true }).catch(() => undefined);
    if (state) await waitGone(state.monitorPid, 200);
  }
  // The host's LXCFS, once no server reads it (it outlives agents, as it must); before
  // the sweep below, which would SIGKILL it (it carries our VSERVER_RUNDIR too) and leave
  // its FUSE mount dead.
  await stopOwnView(paths).catch(() => undefined);
  // Hooks and monitors carry our VSERVER_RUNDIR in their environment.
  for (const pid of processesWith(`VSERVER_RUNDIR=${paths.runDir}`)) await waitGone(pid, 200);
  for (const pid of processesWith(`VSERVER_RUNDIR=${paths.runDir}`)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  for (const name of listServerNames(paths)) {
    if (hasDiskRecord(paths, name)) await releaseDiskArea(name, { running: false, ...diskEnvOf(paths) }).catch(() => undefined);
  }
  // Rescue roots are tmpfs mounts of their own (ops/rescue/rescue-root.ts), also when a test failed mid-rescue.
  umountUnder(path.join(paths.rootDir, ".rescue"));
  for (const name of fs.existsSync(paths.rootDir) ? fs.readdirSync(paths.rootDir).filter((n) => !n.startsWith(".")) : []) {
    umountUnder(path.join(paths.rootDir, name));
    try {
      removeRoot(path.join(paths.rootDir, name));
    } catch {
      /* rmSync below */
    }
  }
  for (const name of await cg.list()) await cg.remove(name, { kill: true }).catch(() => undefined);
  for (const dir of cg.parentDirs().reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      /* gone */
    }
  }
  // Its servers' claims in the host-wide registry (/run/vserver-panel), so /run is as found.
  await releaseAgentClaims(paths).catch(() => undefined);
  fs.rmSync(base, { recursive: true, force: true });
}
