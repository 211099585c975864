/**
 * A throwaway vserver host for root tests: VSERVER_CONFDIR/ROOTDIR/RUNDIR under a fresh
 * /tmp/vst-*, a `vst-*` cgroup parent, and a cleanup that kills every server it finds
 * (through its cgroup), detaches networks, removes roots (fd walk), cgroups (also the
 * parent in every hierarchy), waits for leftover monitors/hooks and removes the dirs.
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
import { readRunState } from "../runtime/run-state";

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

/** Creates the host. */
export function makeTempHost(): TempHost {
  const base = fs.mkdtempSync("/tmp/vst-");
  const paths = { confDir: path.join(base, "etc"), rootDir: path.join(base, "root"), runDir: path.join(base, "run") };
  const parent = path.basename(base);
  Object.assign(process.env, {
    VSERVER_CONFDIR: paths.confDir,
    VSERVER_ROOTDIR: paths.rootDir,
    VSERVER_RUNDIR: paths.runDir,
    VSERVER_CGROUP_PARENT: parent,
  });
  const env = { ...process.env };
  return {
    base,
    paths,
    env,
    async cleanup() {
      const cg = await hostCgroups();
      for (const name of listServerNames(paths)) {
        const state = readRunState(paths, name);
        if (await cg.exists(name)) await cg.killAll(name, "SIGKILL").catch(() => undefined);
        if (state?.network) await detachVserverNetwork(state.context, paths).catch(() => undefined);
        await cg.remove(name, { kill: true }).catch(() => undefined);
        if (state) await waitGone(state.monitorPid, 200);
      }
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
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
