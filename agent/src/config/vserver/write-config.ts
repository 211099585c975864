/**
 * Writes a vserver's configuration directory: the whole of it at build time, and single
 * settings when they change. Each file is replaced atomically.
 */
import fs from "node:fs";
import type { VserverLimitsPatch } from "@/lib/protocol/vservers";
import type { HostPaths } from "../paths";
import { writeDesired } from "./desired-file";
import { formatFstabLine } from "./fstab";
import { writeInterfaces } from "./interfaces-files";
import { configFiles } from "./layout";
import { writeLimits } from "./limits-files";
import type { VserverConfig } from "./types";
import { writeUidMap } from "./uidmap";
import { removeConfigPath, writeLines, writeValue } from "./value-files";

/** Writes every file of `cfg` into an existing (fresh) configuration directory. */
export function writeVserverConfig(paths: HostPaths, cfg: VserverConfig): void {
  const f = configFiles(paths, cfg.name);
  writeValue(f.context, String(cfg.context));
  writeUts(paths, cfg.name, { nodename: cfg.nodename, domainname: cfg.domainname });
  writeLines(f.bcapabilities, cfg.bcapabilities);
  writeLines(f.flags, cfg.flags);
  writeLines(f.fstab, cfg.fstab.map(formatFstabLine));
  writeStartOnBoot(paths, cfg.name, cfg.startOnBoot);
  if (cfg.desired) writeDesired(f.desired, cfg.desired);
  if (cfg.initStyle) writeValue(f.initStyle, cfg.initStyle);
  if (cfg.initArgv.length && cfg.initArgv.join(" ") !== "/sbin/init") writeLines(f.initArgv, cfg.initArgv);
  writeInterfaces(f.interfaces, cfg.interfaces);
  writeLimits(f.limits, cfg.limits);
  writeLines(f.nameservers, cfg.nameservers);
  if (cfg.buildMethod) writeValue(f.buildMethod, cfg.buildMethod);
  if (cfg.distribution) writeValue(f.distribution, cfg.distribution);
  writeUidMap(paths, cfg.name, cfg.uidmap);
  writeVdir(paths, cfg.name, cfg.root);
}

/** `vdir` → the root (replaced atomically by a rename of a fresh link). */
export function writeVdir(paths: HostPaths, name: string, root: string): void {
  const f = configFiles(paths, name);
  const tmp = `${f.vdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(root, tmp);
  fs.renameSync(tmp, f.vdir);
}

/** `uts/nodename` and `uts/domainname` (an empty domainname removes the file). */
export function writeUts(paths: HostPaths, name: string, uts: { nodename?: string; domainname?: string }): void {
  const f = configFiles(paths, name);
  if (uts.nodename !== undefined) writeValue(f.nodename, uts.nodename);
  if (uts.domainname !== undefined) {
    if (uts.domainname === "") removeConfigPath(f.domainname);
    else writeValue(f.domainname, uts.domainname);
  }
}

/** `apps/init/mark`: `default` starts the server when the agent starts. */
export function writeStartOnBoot(paths: HostPaths, name: string, on: boolean): void {
  const f = configFiles(paths, name);
  if (on) writeValue(f.mark, "default");
  else removeConfigPath(f.mark);
}

/** Replaces `bcapabilities`. */
export function writeBcapabilities(paths: HostPaths, name: string, entries: readonly string[]): void {
  writeLines(configFiles(paths, name).bcapabilities, entries);
}

/** Replaces `flags`. */
export function writeFlags(paths: HostPaths, name: string, flags: readonly string[]): void {
  writeLines(configFiles(paths, name).flags, flags);
}

/** Writes the fields of a limits patch into `limits/`. */
export function writeLimitsPatch(paths: HostPaths, name: string, patch: VserverLimitsPatch): void {
  writeLimits(configFiles(paths, name).limits, patch);
}

/** Replaces `interfaces/`. */
export function writeInterfaceList(paths: HostPaths, name: string, list: VserverConfig["interfaces"]): void {
  writeInterfaces(configFiles(paths, name).interfaces, list);
}
