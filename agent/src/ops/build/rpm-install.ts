/**
 * The `rpm` method: the host's dnf installs an RPM distribution into the new root
 * (`dnf --installroot`), from the repositories of `.distributions/DISTRO/yum.repos.d`
 * and/or `--repo URL` (a generated repository without signature checks: say so in the
 * log), contained like debootstrap (run-contained.ts: scriptlets run chrooted by rpm die
 * with the build). Host plugins and the host's own repositories are never used. dnf's
 * cache inside the new root is removed afterwards. The rpm database goes where the
 * guest's rpm looks (default /var/lib/rpm, `.distributions/DISTRO/rpmdbpath` to change):
 * Debian's own rpm would put it in ~/.rpmdb, so a macro file in a private HOME says so. Debian 12 ships dnf 4 (apt-get
 * install dnf rpm); without dnf the method is UNSUPPORTED.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeSync } from "node:fs";
import type { HostPaths } from "../../config/paths";
import { AgentFailure, badInput } from "../../errors";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { removeGuestTree } from "../../kernel/guestfs/remove-guest-tree";
import { readRpmDefaults } from "./distributions";
import type { MethodSpec } from "./method-args";
import { hostHas, runContained } from "./run-contained";
import type { StepReporting } from "../operations/step-reporting";

/** What the build passes to the method. */
export interface RpmRun extends StepReporting {
  paths: HostPaths;
  root: string;
  spec: Extract<MethodSpec, { method: "rpm" }>;
}

/** A dnf repository file for one URL (gpgcheck off: only for repositories the admin trusts). */
export function repoFileText(id: string, url: string): string {
  return `[${id}]\nname=${id}\nbaseurl=${url}\nenabled=1\ngpgcheck=0\nrepo_gpgcheck=0\nmetadata_expire=0\n`;
}

/** The dnf command line. */
export function dnfArgv(root: string, reposDir: string, releasever: string, packages: readonly string[]): string[] {
  return [
    "dnf", "-y", "--noplugins", `--installroot=${root}`, `--releasever=${releasever}`,
    `--setopt=reposdir=${reposDir}`, "--setopt=install_weak_deps=False", "--setopt=keepcache=False",
    "--setopt=tsflags=nodocs", "install", ...packages,
  ];
}

/** Installs the packages into `root`. */
export async function runRpmInstall(run: RpmRun): Promise<{ distribution: string }> {
  if (!hostHas("dnf")) throw new AgentFailure("UNSUPPORTED", "method: the rpm method needs dnf on the host (Debian: apt-get install dnf rpm)", "method");
  const d = readRpmDefaults(run.paths, run.spec.distribution);
  const packages = run.spec.packages.length ? run.spec.packages : d.packages;
  if (packages.length === 0) throw badInput("methodArgs", `rpm: no packages to install: give --package NAME or list them in .distributions/${run.spec.distribution}/pkgs`);
  if (d.repoFiles.length === 0 && run.spec.repos.length === 0) {
    throw badInput("methodArgs", `rpm: no repository: give --repo URL or add .distributions/${run.spec.distribution}/yum.repos.d/*.repo`);
  }
  const releasever = run.spec.releasever ?? d.releasever ?? "1";
  const reposDir = fs.mkdtempSync(path.join(os.tmpdir(), "vs-rpm-repos-"));
  try {
    for (const f of d.repoFiles) fs.copyFileSync(f, path.join(reposDir, path.basename(f)));
    fs.writeFileSync(path.join(reposDir, ".rpmmacros"), `%_dbpath ${d.dbpath}\n`);
    run.spec.repos.forEach((url, i) => fs.writeFileSync(path.join(reposDir, `vs-repo-${i}.repo`), repoFileText(`vs-repo-${i}`, url)));
    if (run.spec.repos.length) run.log(`rpm: ${run.spec.repos.length} repositor${run.spec.repos.length === 1 ? "y" : "ies"} from --repo, without signature checks`);
    run.log(`dnf: installing ${packages.join(" ")} (${run.spec.distribution}, releasever ${releasever})`);
    run.progress(20);
    let lines = 0;
    await runContained(dnfArgv(run.root, reposDir, releasever, packages), {
      what: "dnf",
      signal: run.signal,
      env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", LANG: "C.UTF-8", LC_ALL: "C.UTF-8", HOME: reposDir },
      onLine: (line) => {
        run.log(line);
        run.progress(Math.min(85, 20 + ++lines));
      },
    });
  } finally {
    fs.rmSync(reposDir, { recursive: true, force: true });
  }
  const fd = openGuestRoot(run.root);
  try {
    removeGuestTree(fd, "/var/cache/dnf");
  } catch {
    // nothing cached
  } finally {
    closeSync(fd);
  }
  return { distribution: run.spec.distribution };
}
