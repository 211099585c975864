/**
 * Per-host defaults of the distribution methods, util-vserver's `.distributions/` and
 * `.defaults/` roles, under VSERVER_CONFDIR (see README.md beside this file):
 *
 *   .defaults/apps/debootstrap/mirror        host-wide Debian mirror (default deb.debian.org)
 *   .defaults/apps/debootstrap/cache         a directory for debootstrap --cache-dir
 *   .distributions/RELEASE/debootstrap.mirror   mirror for one release (e.g. an Ubuntu one)
 *   .distributions/RELEASE/debootstrap.variant  default variant (minbase, buildd, default)
 *   .distributions/RELEASE/debootstrap.include  extra packages, one per line
 *   .distributions/DISTRO/yum.repos.d/*.repo    rpm: repositories (dnf syntax)
 *   .distributions/DISTRO/pkgs                  rpm: packages to install, one per line
 *   .distributions/DISTRO/releasever            rpm: $releasever
 *   .distributions/DISTRO/rpmdbpath             rpm: the guest's rpm database (/var/lib/rpm)
 *
 * VSERVER_DEBOOTSTRAP_CACHE in the environment overrides the cache setting.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { badConfig, readLines, readValue } from "../../config/vserver/value-files";

/** Debian's mirror when nothing is configured. */
export const DEFAULT_DEBIAN_MIRROR = "http://deb.debian.org/debian";

/** `.distributions/NAME` of the host. */
export function distributionDir(paths: HostPaths, name: string): string {
  return path.join(paths.confDir, ".distributions", name);
}

/** `.defaults/apps/debootstrap`. */
function debootstrapDefaults(paths: HostPaths): string {
  return path.join(paths.confDir, ".defaults", "apps", "debootstrap");
}

/** What debootstrap uses for `release` unless the build says otherwise. */
export interface DebootstrapDefaults {
  mirror: string;
  variant: string;
  include: string[];
  /** A package cache directory (debootstrap --cache-dir), or null. */
  cacheDir: string | null;
}

/** The host's debootstrap defaults for `release`. */
export function readDebootstrapDefaults(paths: HostPaths, release: string): DebootstrapDefaults {
  const dist = distributionDir(paths, release);
  const defaults = debootstrapDefaults(paths);
  const cache = process.env.VSERVER_DEBOOTSTRAP_CACHE?.trim() || readValue(path.join(defaults, "cache")) || null;
  return {
    mirror: readValue(path.join(dist, "debootstrap.mirror")) ?? readValue(path.join(defaults, "mirror")) ?? DEFAULT_DEBIAN_MIRROR,
    variant: readValue(path.join(dist, "debootstrap.variant")) ?? "minbase",
    include: readLines(path.join(dist, "debootstrap.include")),
    cacheDir: cache && path.isAbsolute(cache) ? cache : null,
  };
}

/** The rpm method's host configuration of `distro`. */
export interface RpmDefaults {
  /** `.repo` files of `.distributions/DISTRO/yum.repos.d` (absolute paths). */
  repoFiles: string[];
  packages: string[];
  releasever: string | null;
  /** Where the guest's rpm keeps its database. */
  dbpath: string;
}

/** Reads `.distributions/DISTRO/` for the rpm method. */
export function readRpmDefaults(paths: HostPaths, distro: string): RpmDefaults {
  const dir = distributionDir(paths, distro);
  let repoFiles: string[] = [];
  try {
    repoFiles = fs.readdirSync(path.join(dir, "yum.repos.d")).filter((f) => f.endsWith(".repo")).sort().map((f) => path.join(dir, "yum.repos.d", f));
  } catch {
    repoFiles = [];
  }
  const dbpath = readValue(path.join(dir, "rpmdbpath")) ?? "/var/lib/rpm";
  if (!/^\/[A-Za-z0-9._/-]{1,200}$/.test(dbpath)) throw badConfig(path.join(dir, "rpmdbpath"), "must be an absolute path");
  return { repoFiles, packages: readLines(path.join(dir, "pkgs")), releasever: readValue(path.join(dir, "releasever")) ?? null, dbpath };
}
