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
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { checkVserverName } from "../../config/vserver/names";
import { ensureMounted } from "../../kernel/disk";
import { parseMethodArgs } from "../build/method-args";
import { populateRoot, recordPopulateResult } from "../build/populate-method";
import { checkSshKeys, hashPassword, setGuestRootAccess } from "../build/root-access";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { stopLocked } from "../lifecycle/stop-vserver";
import { withServerLock } from "../locks";
import { withReverter } from "../reverter";
import { readRootAccess } from "./keep-access";
import { uidmapFiles, writeUidMap } from "../../config/vserver/uidmap";
import { fitRootToUidMap } from "../userns/fit-root";
import { discardStaging, prepareStaging, swapBack, swapIn } from "./staging";
import { finishRootSwap } from "./finish-root-swap";
import { beginRootSwap } from "./begin-root-swap";

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
      const { cfg, files, s, wasRunning } = await beginRootSwap(paths, req.name, log);
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
      await finishRootSwap(paths, req.name, s, r, { start, what: "new", log });
      progress(100);
      return { name: req.name, method: spec.method, distribution: populated.distribution, started: start };
    }),
  );
}
