/**
 * Fills a new root by its build method (the same step for `build` and `reinstall`) and
 * records what the root needs in the configuration: the distribution, the init command
 * and how to stop it. The root is empty (or a fresh image's root) when this runs; every
 * method writes the identity files (hostname, hosts, resolv.conf, root's password)
 * through guestfs afterwards.
 */
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { configFiles } from "../../config/vserver/layout";
import type { InitStyle, VserverConfig } from "../../config/vserver/types";
import { removeConfigPath, writeLines, writeValue } from "../../config/vserver/value-files";
import { populateFromTemplate } from "../templates/populate-from-template";
import { runDebootstrap } from "./debootstrap";
import { chooseInit, finishDistroRoot, removeGuestFiles, type InitChoice } from "./finish-root";
import type { MethodSpec } from "./method-args";
import { populateBusybox, populateSkeleton, type RootIdentity } from "./populate-root";
import { runRpmInstall } from "./rpm-install";
import type { StepReporting } from "../operations/step-reporting";

/** Everything a method needs. */
export interface PopulateRun extends StepReporting {
  paths: HostPaths;
  name: string;
  root: string;
  spec: MethodSpec;
  id: RootIdentity;
}

/** What the configuration must say about the populated root (null: leave as it is). */
export interface PopulateResult {
  distribution: string | null;
  init: InitChoice | null;
  /** Where the root's ids start on disk now: 0, or a shifted source server's range. */
  ownerBase: number;
}

/** Populates `run.root` by `run.spec.method`; an abort seen meanwhile fails it (the caller undoes). */
export async function populateRoot(run: PopulateRun): Promise<PopulateResult> {
  const result = await populateBy(run);
  if (run.signal?.aborted) throw new AgentFailure("INTERNAL", "interrupted");
  return result;
}

async function populateBy(run: PopulateRun): Promise<PopulateResult> {
  const { spec } = run;
  switch (spec.method) {
    case "skeleton":
      populateSkeleton(run.root, run.id);
      return { distribution: null, init: null, ownerBase: 0 };
    case "busybox":
      populateBusybox(run.root, run.id, run.log);
      return { distribution: null, init: { argv: ["/sbin/init"], style: "busybox" }, ownerBase: 0 };
    case "debootstrap": {
      const r = await runDebootstrap({ paths: run.paths, root: run.root, spec, log: run.log, progress: run.progress, signal: run.signal });
      const removed = removeGuestFiles(run.root, "/var/cache/apt/archives", ".deb");
      if (removed) run.log(`removed ${removed} downloaded packages from /var/cache/apt/archives`);
      finishDistroRoot(run.root, run.id);
      return { distribution: r.distribution, init: chooseInit(run.root), ownerBase: 0 };
    }
    case "rpm": {
      const r = await runRpmInstall({ paths: run.paths, root: run.root, spec, log: run.log, progress: run.progress, signal: run.signal });
      finishDistroRoot(run.root, run.id);
      return { distribution: r.distribution, init: chooseInit(run.root), ownerBase: 0 };
    }
    case "template": {
      run.progress(15);
      const r = await populateFromTemplate({ paths: run.paths, name: run.name, root: run.root, source: spec.source, reflink: spec.reflink, log: run.log, progress: run.progress, signal: run.signal });
      finishDistroRoot(run.root, run.id, { resetMachineId: true, ownerBase: r.ownerBase });
      return { distribution: r.distribution, init: chooseInit(run.root), ownerBase: r.ownerBase };
    }
  }
}

/** Writes `init/argv`, `apps/init/style`, `build/method` and `build/distribution`; updates `cfg`. */
export function recordPopulateResult(paths: HostPaths, cfg: VserverConfig, method: string, r: PopulateResult): void {
  const f = configFiles(paths, cfg.name);
  writeValue(f.buildMethod, method);
  cfg.buildMethod = method;
  if (r.distribution) writeValue(f.distribution, r.distribution);
  else removeConfigPath(f.distribution);
  cfg.distribution = r.distribution;
  if (!r.init) return;
  const plain = r.init.argv.length === 1 && r.init.argv[0] === "/sbin/init";
  if (plain) removeConfigPath(f.initArgv);
  else writeLines(f.initArgv, r.init.argv);
  cfg.initArgv = r.init.argv;
  setStyle(f.initStyle, r.init.style);
  cfg.initStyle = r.init.style;
}

function setStyle(file: string, style: InitStyle | null): void {
  if (style) writeValue(file, style);
  else removeConfigPath(file);
}
