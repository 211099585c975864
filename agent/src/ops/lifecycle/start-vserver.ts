/**
 * `vserver NAME start` (ARCHITECTURE.md "Starting a vserver"): read and validate the
 * config; create the cgroup and write its limits before any guest code runs; write the
 * guest's hostname and resolv.conf through guestfs; vs-start (paused before guest code
 * runs), record the run state at once, attach the network if it has addresses, go.
 * Every step is undone on failure: a failed start leaves no cgroup, run state, link or
 * process.
 */
import fs from "node:fs";
import { closeSync } from "node:fs";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { keptCapabilities } from "../../config/vserver/bcapabilities";
import { fstabMounts } from "../../config/vserver/fstab";
import { serverRunDir } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import type { VserverConfig } from "../../config/vserver/types";
import { buildStartSpec } from "../../kernel/launch/build-start-spec";
import { HelperError } from "../../kernel/launch/helper-error";
import { readStartTime } from "../../kernel/launch/proc-stat";
import { startInit, type StartedInit } from "../../kernel/launch/start-init";
import { pidfdSendSignal } from "@/native";
import { ensureMounted } from "../../kernel/disk";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { initialCgroupPatch } from "../limits/cgroup-limits";
import { cpusFor } from "../limits/cpu-pinning";
import { readNofile } from "../../config/vserver/rlimits";
import { ownViewMounts } from "../runtime/own-view";
import { serverNetworkPlan } from "../network/network-config";
import { attachServerNetwork, detachServerNetwork } from "../network/server-network";
import { withServerLock } from "../locks";
import { withReverter } from "../reverter";
import { cleanupRun } from "../runtime/cleanup-run";
import { writeGuestIdentity } from "../runtime/guest-identity";
import { exitHookArgv } from "../runtime/hook-command";
import { hostCgroups } from "../runtime/host-cgroups";
import { refillStartHelperLater, takeStartHelper } from "../runtime/start-helper-pool";
import { initAlive, readRunState, removeRunState, writeRunState, type RunState } from "../runtime/run-state";
import { waitProcessGone } from "../runtime/wait-exit";
import { Timings } from "../runtime/timings";
import type { DesiredSource } from "@/lib/protocol/vservers";
import { recordDesired, suspendedFailure } from "./desired-state";
import { cancelPendingRestart } from "./pending-restart";
import { protectInitFromOom } from "../../kernel/launch/protect-init";
import { endLeftoverRescue, RESCUE_INIT, rescueMount } from "../rescue/rescue-start-parts";

/** Variations of a start. */
export interface StartOptions {
  /** Run this instead of the configured init (`vserver NAME run`). */
  argv?: string[];
  /** The caller waits for the exit and cleans up itself: no on-exit hook. */
  oneShot?: boolean;
  /** Give the init the caller's fds 0-2 (only when none is a terminal; see run). */
  inheritStdio?: boolean;
  timings?: Timings;
  /** Who asked: the start is recorded as the desired state (a boot start or a guest's
   * reboot records nothing: no one decided anything new). */
  by?: DesiredSource;
  /** Start from this rescue root (ops/rescue) with the server's own root at /mnt, in the
   * shared-uid mode and without the server's fstab mounts; without it a start ends a
   * rescue the host still records. */
  rescue?: { root: string };
}

/** Throws WRONG_STATE when the server runs; cleans up a stale run (init gone). */
export async function ensureStopped(paths: HostPaths, name: string): Promise<void> {
  const state = readRunState(paths, name);
  if (state && initAlive(state)) throw new AgentFailure("WRONG_STATE", `vserver "${name}" is already running (init pid ${state.initPid})`, "name");
  const cg = await hostCgroups();
  if (state || (await cg.exists(name))) await cleanupRun(paths, name, state);
}

function checkRoot(cfg: VserverConfig): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(cfg.root);
  } catch {
    throw new AgentFailure("WRONG_STATE", `vserver "${cfg.name}": its root ${cfg.root} does not exist`, "name");
  }
  if (!st.isDirectory()) throw new AgentFailure("WRONG_STATE", `vserver "${cfg.name}": its root ${cfg.root} is not a directory`, "name");
}

function helperFailure(name: string, e: unknown): unknown {
  if (!(e instanceof HelperError)) return e;
  const where = e.path ? ` (${e.path})` : "";
  const hint = e.step === "idmap-root" ? ": its filesystem has no idmapped mounts (switch the user namespace off and on again to shift the root's ownership)" : "";
  return new AgentFailure("KERNEL", `vserver "${name}" could not start: ${e.step} failed with ${e.code}${where}${hint}`, undefined, { cause: e });
}

/** The launch's user namespace from `uidmap/` (none in the shared-uid mode). */
function usernsOf(cfg: VserverConfig) {
  const m = cfg.uidmap;
  return m ? { uidStart: m.start, gidStart: m.start, count: m.count, idmapRoot: !m.shifted } : undefined;
}

/**
 * Starts `name`; the caller holds its lock and has checked it is stopped. A suspended
 * server is refused here, so no path (boot, a guest's reboot, a restart) can start it.
 */
export async function startLocked(paths: HostPaths, name: string, opts: StartOptions = {}): Promise<RunState> {
  const t = opts.timings ?? new Timings();
  const cfg = readVserverConfig(paths, name);
  if (cfg.desired?.state === "suspended") throw suspendedFailure(name, cfg.desired);
  // A normal start ends a rescue (a reboot inside the rescue system, a boot start, a start).
  if (!opts.rescue) endLeftoverRescue(paths, name);
  const rescue = opts.rescue ?? null;
  // After a host reboot the image is not mounted; the root underneath is immutable.
  if (diskModeOf(paths, name) !== "none") await ensureMounted(name, diskEnvOf(paths));
  checkRoot(cfg);
  // Read before anything is made: a broken network config fails the start cleanly.
  const netPlan = cfg.interfaces.length > 0 ? serverNetworkPlan(paths, name) : null;
  const cg = await hostCgroups();
  const runDir = serverRunDir(paths, name);
  t.mark("config");
  return withReverter(async (r) => {
    fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
    fs.rmSync(`${runDir}/init-exit.json`, { force: true });
    cancelPendingRestart(paths, name); // it runs again: a restart the policy scheduled is moot
    r.push("cgroup", () => cg.remove(name, { kill: true }));
    await cg.create(name);
    const patch = await initialCgroupPatch(cfg.root, cfg.limits);
    const cpus = cpusFor(cg, name, cfg.limits.cpu);
    if (cpus) patch.cpus = cpus;
    if (Object.keys(patch).length > 0) await cg.setLimits(name, patch);
    t.mark("cgroup");
    writeGuestIdentity(rescue?.root ?? cfg.root, cfg, !rescue && cfg.uidmap?.shifted ? cfg.uidmap.start : 0);
    t.mark("guest files");
    const ownView = await ownViewMounts(paths);
    const nofile = readNofile(paths, name);

    const network = netPlan !== null;
    // Always paused until go(): the pidfd is opened while the init cannot have exited
    // yet (a /bin/true init would otherwise be gone before pidfd_open), and the network
    // is attached before guest code runs.
    const spec = buildStartSpec({
      root: rescue?.root ?? cfg.root,
      runDir,
      hostname: cfg.nodename,
      domainname: cfg.domainname || undefined,
      keepCaps: keptCapabilities(cfg.bcapabilities),
      extraMounts: rescue ? [rescueMount(cfg.root, cfg.uidmap !== null && !cfg.uidmap.shifted)] : fstabMounts(cfg.fstab),
      ownView,
      ...(nofile !== null ? { nofile } : {}),
      cgroupProcs: cg.procsFiles(name),
      argv: rescue ? [...RESCUE_INIT] : (opts.argv ?? cfg.initArgv),
      onExit: opts.oneShot ? undefined : exitHookArgv(name),
      waitGo: true,
      runTmpfs: cfg.flags.includes("runtmpfs"),
      noNewPrivs: cfg.flags.includes("nonewprivs"),
      stdio: opts.inheritStdio ? "inherit" : "null",
      monitorLog: `${runDir}/monitor.log`,
      // Rescue too: the rescue system runs in the server's own uid range (SECURITY.md rule 5).
      userns: usernsOf(cfg),
    });
    let started: StartedInit;
    try {
      started = await startInit(spec, opts.inheritStdio ? { stdio: [0, 1, 2] } : { helper: takeStartHelper() });
    } catch (e) {
      throw helperFailure(name, e);
    }
    t.mark("vs-start");
    let monitorStartTime = "0";
    try {
      monitorStartTime = readStartTime(started.monitorPid);
    } catch {
      // The monitor already left (a one-shot init that exited at once).
    }
    r.push("init", async () => {
      try {
        pidfdSendSignal(started.pidfd, 9);
      } catch {
        /* gone */
      }
      started.abort();
      // The monitor runs the exit hook, which finds no run state and leaves at once.
      await waitProcessGone(started.monitorPid, monitorStartTime, 10_000);
    });
    try {
      const state: RunState = {
        version: 1,
        name,
        context: cfg.context,
        initPid: started.initPid,
        initStartTime: started.startTime,
        monitorPid: started.monitorPid,
        monitorStartTime,
        startedAt: new Date().toISOString(),
        root: rescue?.root ?? cfg.root,
        cgroupParent: cg.parent,
        cgroupProcs: cg.procsFiles(name),
        keepCaps: spec.keepCaps,
        seccomp: spec.seccomp !== undefined,
        noNewPrivs: spec.noNewPrivs,
        network,
        oneShot: opts.oneShot ?? false,
        uidmap: cfg.uidmap ? { start: cfg.uidmap.start, count: cfg.uidmap.count } : null,
      };
      writeRunState(paths, state);
      r.push("run state", () => removeRunState(paths, name));
      if (netPlan) {
        r.push("network", () => detachServerNetwork(paths, cfg.context));
        const req = { name, ctx: cfg.context, initPid: started.initPid, interfaces: cfg.interfaces, netRate: cfg.limits.netRate };
        await attachServerNetwork(paths, req, netPlan);
        t.mark("network");
      }
      // A host without CAP_SYS_RESOURCE refuses: the server runs as before (protect-init.ts),
      // and nothing is printed, since every start on that host would say the same.
      if (cfg.limits.memory !== null) protectInitFromOom(started.initPid, started.startTime);
      try {
        await started.go();
      } catch (e) {
        throw helperFailure(name, e);
      }
      t.mark("go");
      return state;
    } finally {
      closeSync(started.pidfd);
    }
  });
}

/** `vserver NAME start`: WRONG_STATE when it already runs (or is suspended). */
export async function startVserver(paths: HostPaths, name: string, opts: StartOptions = {}): Promise<RunState> {
  try {
    return await withServerLock(paths, name, async () => {
      await ensureStopped(paths, name);
      const state = await startLocked(paths, name, opts);
      if (opts.by) recordDesired(paths, name, "running", opts.by);
      return state;
    });
  } finally {
    refillStartHelperLater();
  }
}
