/**
 * Reads a vserver's configuration directory into a {@link VserverConfig}. Every file is
 * validated; an error names the file and what is wrong with it.
 */
import fs from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../paths";
import { readBcapabilities } from "./bcapabilities";
import { readDesired } from "./desired-file";
import { readFlags } from "./flags";
import { readFstab } from "./fstab";
import { readInterfaces } from "./interfaces-files";
import { configFiles } from "./layout";
import { readLimits } from "./limits-files";
import { checkContext, checkDomainname, checkHostname, checkVserverName } from "./names";
import type { InitStyle, VserverConfig } from "./types";
import { readUidMap } from "./uidmap";
import { badConfig, readLines, readValue } from "./value-files";

const INIT_STYLES: readonly InitStyle[] = ["busybox", "sysv", "systemd", "plain"];

/** Whether a configuration directory exists for `name` (complete or not). */
export function configExists(paths: HostPaths, name: string): boolean {
  return fs.existsSync(configFiles(paths, name).dir);
}

function wrap<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof AgentFailure && e.message.startsWith(file)) throw e;
    throw badConfig(file, e instanceof Error ? e.message : String(e));
  }
}

/** The root directory the `vdir` link points to (must be an absolute path). */
export function readVdir(file: string): string {
  let target: string;
  try {
    target = fs.readlinkSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw badConfig(file, code === "ENOENT" ? "missing (the link to the server's root)" : `not a symlink to the root (${code})`);
  }
  if (!path.isAbsolute(target)) throw badConfig(file, `must point to an absolute path, not "${target}"`);
  return path.normalize(target);
}

/** Reads the context id alone (used when scanning all servers for a free one). */
export function readContext(file: string): number {
  const text = readValue(file);
  if (text === undefined || !/^\d{1,6}$/.test(text)) throw badConfig(file, `"${text ?? ""}" is not a context id`);
  return wrap(file, () => checkContext(Number(text)));
}

/** Reads and validates `VSERVER_CONFDIR/NAME/`. NOT_FOUND when there is no such server,
 * WRONG_STATE while its build has not finished. */
export function readVserverConfig(paths: HostPaths, name: string): VserverConfig {
  checkVserverName(name);
  const f = configFiles(paths, name);
  if (!fs.existsSync(f.dir)) throw new AgentFailure("NOT_FOUND", `no vserver named "${name}" (no ${f.dir})`, "name");
  if (fs.existsSync(f.incomplete)) {
    throw new AgentFailure("WRONG_STATE", `vserver "${name}" is being built, or its build was interrupted (delete it to clean up)`, "name");
  }
  const nodename = readValue(f.nodename) ?? name;
  const style = readValue(f.initStyle);
  if (style !== undefined && !INIT_STYLES.includes(style as InitStyle)) {
    throw badConfig(f.initStyle, `"${style}" is not one of ${INIT_STYLES.join(", ")}`);
  }
  const initArgv = readLines(f.initArgv);
  if (initArgv.length > 0 && !initArgv[0]!.startsWith("/")) throw badConfig(f.initArgv, "the first word must be an absolute path in the guest");
  const nameservers = readLines(f.nameservers);
  for (const ns of nameservers) if (isIP(ns) === 0) throw badConfig(f.nameservers, `"${ns}" is not an IP address`);
  const mark = readValue(f.mark);
  return {
    name,
    context: readContext(f.context),
    nodename: wrap(f.nodename, () => checkHostname(nodename, "nodename")),
    domainname: wrap(f.domainname, () => checkDomainname(readValue(f.domainname) ?? "", "domainname")),
    bcapabilities: readBcapabilities(f.bcapabilities),
    flags: readFlags(f.flags),
    fstab: readFstab(f.fstab),
    startOnBoot: mark === "default",
    desired: readDesired(f.desired),
    initStyle: (style as InitStyle | undefined) ?? null,
    initArgv: initArgv.length ? initArgv : ["/sbin/init"],
    root: readVdir(f.vdir),
    interfaces: readInterfaces(f.interfaces),
    limits: readLimits(f.limits),
    nameservers,
    buildMethod: readValue(f.buildMethod) ?? null,
    distribution: readValue(f.distribution) ?? null,
    uidmap: readUidMap(paths, name),
  };
}
