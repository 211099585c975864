/**
 * Where each piece of a vserver lives on the host (util-vserver's layout, see README.md):
 * the configuration under `VSERVER_CONFDIR/NAME/`, the root under `VSERVER_ROOTDIR/NAME`
 * (linked from the config as `vdir`), and the agent's own run state, locks and
 * operation records under `VSERVER_RUNDIR`.
 */
import fs from "node:fs";
import path from "node:path";
import type { HostPaths } from "../paths";

/** The files of one vserver's configuration directory. */
export interface ConfigFiles {
  dir: string;
  context: string;
  nodename: string;
  domainname: string;
  bcapabilities: string;
  flags: string;
  fstab: string;
  mark: string;
  /** The desired running state and who decided it (desired-file.ts). */
  desired: string;
  initStyle: string;
  initArgv: string;
  vdir: string;
  interfaces: string;
  limits: string;
  nameservers: string;
  buildMethod: string;
  distribution: string;
  /** Present while a build is in progress (or was interrupted). */
  incomplete: string;
}

/** The configuration files of `name`. */
export function configFiles(paths: HostPaths, name: string): ConfigFiles {
  const dir = path.join(paths.confDir, name);
  return {
    dir,
    context: path.join(dir, "context"),
    nodename: path.join(dir, "uts", "nodename"),
    domainname: path.join(dir, "uts", "domainname"),
    bcapabilities: path.join(dir, "bcapabilities"),
    flags: path.join(dir, "flags"),
    fstab: path.join(dir, "fstab"),
    mark: path.join(dir, "apps", "init", "mark"),
    desired: path.join(dir, "desired"),
    initStyle: path.join(dir, "apps", "init", "style"),
    initArgv: path.join(dir, "init", "argv"),
    vdir: path.join(dir, "vdir"),
    interfaces: path.join(dir, "interfaces"),
    limits: path.join(dir, "limits"),
    nameservers: path.join(dir, "nameservers"),
    buildMethod: path.join(dir, "build", "method"),
    distribution: path.join(dir, "build", "distribution"),
    incomplete: path.join(dir, ".build-incomplete"),
  };
}

/** The default root directory of a new vserver. */
export function defaultRootDir(paths: HostPaths, name: string): string {
  return path.join(paths.rootDir, name);
}

/** Run state of one server: `RUNDIR/servers/NAME/` (state.json and the monitor's init-exit.json). */
export function serverRunDir(paths: HostPaths, name: string): string {
  return path.join(paths.runDir, "servers", name);
}

/** Lock files: `RUNDIR/locks/`. */
export function lockDir(paths: HostPaths): string {
  return path.join(paths.runDir, "locks");
}

/** Records of slow operations: `RUNDIR/operations/`. */
export function operationsDir(paths: HostPaths): string {
  return path.join(paths.runDir, "operations");
}

/** Names of the configured vservers (directories of confDir; dot-entries such as
 * `.agent` and `.defaults` are the host's own). Sorted. */
export function listServerNames(paths: HostPaths): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(paths.confDir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && /^[a-z][a-z0-9-]{0,30}$/.test(e.name))
    .map((e) => e.name)
    .sort();
}
