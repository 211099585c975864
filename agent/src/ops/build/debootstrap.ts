/**
 * The `debootstrap` method: the host's debootstrap installs Debian (or Ubuntu, given its
 * mirror) into the new root before any guest code ever ran in it, contained by
 * run-contained.ts (its chroot processes and its /proc, /sys mounts die with it). Its
 * output becomes the operation's log lines, its phases the progress. With a package
 * cache (distributions.ts) the .debs are downloaded once per host; the copies debootstrap
 * leaves in the guest's /var/cache/apt/archives are removed (as `apt-get clean` would).
 */
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { readDebootstrapDefaults } from "./distributions";
import type { MethodSpec } from "./method-args";
import { hostHas, runContained } from "./run-contained";
import type { StepReporting } from "../operations/step-reporting";

/** Progress (percent of the build) reached when debootstrap prints a line starting so. */
const PHASES: [RegExp, number][] = [
  [/^I: Retrieving Release/, 15],
  [/^I: Retrieving Packages/, 18],
  [/^I: Resolving dependencies/, 22],
  [/^I: Checking component/, 24],
  [/^I: Retrieving /, 30],
  [/^I: Extracting /, 45],
  [/^I: Installing (core|required)/, 55],
  [/^I: Unpacking required/, 60],
  [/^I: Configuring required/, 70],
  [/^I: Unpacking the base/, 78],
  [/^I: Configuring the base/, 84],
  [/^I: Base system installed successfully/, 88],
];

/** What the build passes to the method. */
export interface DebootstrapRun extends StepReporting {
  paths: HostPaths;
  root: string;
  spec: Extract<MethodSpec, { method: "debootstrap" }>;
}

/** The debootstrap command line (no shell; every value is one argv word). */
export function debootstrapArgv(run: Pick<DebootstrapRun, "paths" | "root" | "spec">): { argv: string[]; mirror: string; cacheDir: string | null } {
  const d = readDebootstrapDefaults(run.paths, run.spec.release);
  const variant = run.spec.variant ?? d.variant;
  const include = [...d.include, ...run.spec.include];
  const argv = ["debootstrap"];
  if (variant !== "default") argv.push(`--variant=${variant}`);
  if (include.length) argv.push(`--include=${include.join(",")}`);
  if (run.spec.components.length) argv.push(`--components=${run.spec.components.join(",")}`);
  if (d.cacheDir) argv.push(`--cache-dir=${d.cacheDir}`);
  const mirror = run.spec.mirror ?? d.mirror;
  argv.push(run.spec.release, run.root, mirror);
  return { argv, mirror, cacheDir: d.cacheDir };
}

/** Installs the release into `root` (an empty directory or a freshly mounted image). */
export async function runDebootstrap(run: DebootstrapRun): Promise<{ distribution: string }> {
  if (!hostHas("debootstrap")) throw new AgentFailure("UNSUPPORTED", "method: debootstrap is not installed on this host (Debian: apt-get install debootstrap)", "method");
  const { argv, mirror, cacheDir } = debootstrapArgv(run);
  if (cacheDir) fs.mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  run.log(`debootstrap ${run.spec.release} from ${mirror}${cacheDir ? ` (package cache ${cacheDir})` : ""}`);
  let reached = 0;
  await runContained(argv, {
    what: "debootstrap",
    signal: run.signal,
    // debconf must never ask; the host's locale may not exist in the new root.
    env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", DEBIAN_FRONTEND: "noninteractive", LANG: "C.UTF-8", LC_ALL: "C.UTF-8", HOME: "/root" },
    onLine: (line) => {
      run.log(line);
      for (const [re, pct] of PHASES) {
        if (re.test(line) && pct > reached) {
          reached = pct;
          run.progress(pct);
        }
      }
    },
  });
  return { distribution: run.spec.release };
}
