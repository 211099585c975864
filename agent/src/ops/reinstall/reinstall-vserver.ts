/**
 * `vserver NAME reinstall -m METHOD … -- METHOD-OPTIONS` and the API's reinstallVserver:
 * a fresh root by any build method, keeping everything of the configuration (name,
 * context, addresses, limits, flags, fstab, disk area). Under the server's lock and a
 * reverter: stop; build the new root beside the old one (staging.ts); swap them; start
 * the new root and see its init stay up. The old root is removed only then. Any failure
 * on the way swaps the old root back, restores the configuration and, if the server was
 * running, starts it again as it was. Root's password hash and authorized keys are
 * carried over from the old root unless the request gives new ones.
 */
import { setTimeout as sleep } from "node:timers/promises";
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { configFiles } from "../../config/vserver/layout";
import { checkVserverName } from "../../config/vserver/names";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { ensureMounted } from "../../kernel/disk";
import { parseMethodArgs } from "../build/method-args";
import { populateRoot, recordPopulateResult } from "../build/populate-method";
import { checkSshKeys, hashPassword, setGuestRootAccess } from "../build/root-access";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { stopLocked } from "../lifecycle/stop-vserver";
import { withServerLock } from "../locks";
import { withReverter } from "../reverter";
import { initAlive, readRunState } from "../runtime/run-state";
import { readRootAccess } from "./keep-access";
import { uidmapFiles, writeUidMap } from "../../config/vserver/uidmap";
import { fitRootToUidMap } from "../userns/fit-root";
import { discardStaging, prepareStaging, recoverStaging, stagingOf, swapBack, swapIn } from "./staging";

/** What to reinstall with. */
export interface ReinstallRequest {
  name: string;
  method: string;
  methodArgs?: string[];
  allowHostPaths?: boolean;
  rootPassword?: string;
  sshKeys?: string[];
  /** Start the new root (and keep the old one until it runs). Default true. */
  start?: boolean;
  /** Stop timeout for the running server, seconds. */
  timeoutSec?: number;
  log?: (line: string) => void;
  progress?: (percent: number) => void;
  signal?: AbortSignal;
}

/** What was done. */
export interface ReinstallResult {
  name: string;
  method: string;
  distribution: string | null;
  started: boolean;
}

/** How long a new init must stay up after its start to count as started. */
const SETTLE_MS = 500;

/** The config files a reinstall rewrites, as they were (null = absent). */
function snapshot(files: string[]): Map<string, string | null> {
  return new Map(files.map((f) => [f, fs.existsSync(f) ? fs.readFileSync(f, "utf8") : null]));
}

function restore(saved: Map<string, string | null>): void {
  for (const [f, text] of saved) {
    if (text === null) fs.rmSync(f, { force: true });
    else fs.writeFileSync(f, text);
  }
}

/** Reinstalls `req.name`. */
export async function reinstallVserver(paths: HostPaths, req: ReinstallRequest): Promise<ReinstallResult> {
  checkVserverName(req.name);
  const spec = parseMethodArgs(req.method, req.methodArgs ?? [], { allowHostPaths: req.allowHostPaths ?? false });
  if (req.sshKeys) checkSshKeys(req.sshKeys);
  const rootHash = req.rootPassword === undefined ? undefined : hashPassword(req.rootPassword);
  const log = req.log ?? (() => undefined);
  const progress = req.progress ?? (() => undefined);
  const start = req.start ?? true;
  return withServerLock(paths, req.name, () =>
    withReverter(async (r) => {
      const cfg = readVserverConfig(paths, req.name);
      const files = configFiles(paths, req.name);
      if (fs.existsSync(files.incomplete)) throw new AgentFailure("WRONG_STATE", `vserver "${req.name}" is still being built`, "name");
      const s = stagingOf(paths, req.name, cfg.root);
      const recovered = await recoverStaging(s);
      if (recovered !== "none") log(`an interrupted reinstall was put right (${recovered})`);
      const state = readRunState(paths, req.name);
      const wasRunning = state !== null && initAlive(state);
      if (wasRunning) {
        log("stopping");
        await stopLocked(paths, req.name, req.timeoutSec ?? 30);
        r.push("start the old root again", () => startLocked(paths, req.name));
      } else {
        await ensureStopped(paths, req.name);
      }
      if (diskModeOf(paths, req.name) !== "none") await ensureMounted(req.name, diskEnvOf(paths));
      const kept = readRootAccess(cfg.root);
      progress(10);
      r.push("staging", () => discardStaging(s));
      await prepareStaging(s, req.name);
      log(`building the new root (${spec.method}) in ${s.newRoot}${s.mode === "loop" ? " (a second image of the same size)" : ""}`);
      const id = { nodename: cfg.nodename, domainname: cfg.domainname, nameservers: cfg.nameservers, rootHash: rootHash ?? kept.rootHash };
      const populated = await populateRoot({ paths, name: req.name, root: s.newRoot, spec, id, log, progress, signal: req.signal });
      const keys = req.sshKeys ?? kept.sshKeys;
      if (keys) setGuestRootAccess(s.newRoot, { sshKeys: keys }, populated.ownerBase);
      // The new root is owned as the server's mode needs (shifted when its filesystem has
      // no idmapped mounts), before anything of it can run.
      const uidmap = await fitRootToUidMap(s.newRoot, cfg.uidmap, { from: populated.ownerBase, log });
      progress(90);
      const saved = snapshot([files.buildMethod, files.distribution, files.initArgv, files.initStyle, uidmapFiles(paths, req.name).shifted]);
      r.push("configuration", () => restore(saved));
      r.push("old root back", () => swapBack(s));
      await swapIn(s);
      recordPopulateResult(paths, cfg, spec.method, populated);
      writeUidMap(paths, req.name, uidmap);
      log("the new root is in place; the old one is kept until the new one has started");
      if (start) {
        await startLocked(paths, req.name);
        await sleep(SETTLE_MS);
        const now = readRunState(paths, req.name);
        if (!now || !initAlive(now)) {
          await ensureStopped(paths, req.name);
          throw new AgentFailure("KERNEL", `the new root of "${req.name}" started, but its init ended at once`);
        }
        log("the new root runs");
      }
      r.commit();
      try {
        await discardStaging(s);
        log("the old root is removed");
      } catch (e) {
        log(`the old root could not be removed yet (${(e as Error).message}); the next reinstall removes it`);
      }
      progress(100);
      return { name: req.name, method: spec.method, distribution: populated.distribution, started: start };
    }),
  );
}
