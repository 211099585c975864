/**
 * `vserver NAME build -m skeleton|busybox`: a new server's configuration directory and
 * root, under the server's lock and a reverter. The context id and the addresses are
 * checked and claimed under the host-wide context lock. While the build runs, the
 * config holds `.build-incomplete`: a build that dies half-way (agent or CLI killed)
 * is recognized and removed by the next agent start or a `delete`.
 */
import fs from "node:fs";
import { closeSync } from "node:fs";
import { isIP } from "node:net";
import { vserverLimitsPatch, type VserverLimitsPatch } from "@/lib/protocol/vservers";
import type { InterfaceAddress } from "@/lib/protocol/names";
import { AgentFailure, badInput } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { chooseContext } from "../../config/vserver/context-ids";
import { configFiles, defaultRootDir } from "../../config/vserver/layout";
import { UNLIMITED } from "../../config/vserver/limits-files";
import { checkContext, checkDomainname, checkHostname, checkVserverName } from "../../config/vserver/names";
import type { VserverConfig } from "../../config/vserver/types";
import { removeConfigPath, writeValue } from "../../config/vserver/value-files";
import { writeVserverConfig } from "../../config/vserver/write-config";
import { chooseUidRange } from "../../config/vserver/uid-ranges";
import { writeUidMap } from "../../config/vserver/uidmap";
import { fitRootToUidMap } from "../userns/fit-root";
import { openGuestRoot } from "../../kernel/guestfs/open-guest-root";
import { removeGuestTree } from "../../kernel/guestfs/remove-guest-tree";
import { parseInterfaceAddress } from "../../kernel/net";
import { createDiskArea, releaseDiskArea } from "../../kernel/disk";
import { diskEnvOf } from "../disk/disk-area";
import { checkEnforceable } from "../limits/cgroup-limits";
import { checkHostLimits } from "../limits/check-host-limits";
import { checkAddressesUnused } from "../network/check-addresses-unused";
import { hostCgroups } from "../runtime/host-cgroups";
import { withContextLock, withServerLock } from "../locks";
import { claimServerIds, releaseServerClaims } from "../allocation/host-claims";
import { withReverter } from "../reverter";
import { parseMethodArgs, type MethodSpec } from "./method-args";
import { populateRoot, recordPopulateResult } from "./populate-method";
import { hashPassword, setGuestRootAccess } from "./root-access";
import { writeRestartPolicy } from "../../config/vserver/restart-policy-file";
import type { StepReporting } from "../operations/step-reporting";

/** What a build needs (CLI flags and the createVserver input alike). */
export interface BuildRequest extends Partial<StepReporting> {
  name: string;
  method: string;
  hostname?: string;
  domainname?: string;
  context?: number;
  limits?: VserverLimitsPatch;
  interfaces?: InterfaceAddress[];
  nameservers?: string[];
  startOnBoot?: boolean;
  rootPassword?: string;
  sshKeys?: string[];
  /** METHOD-OPTIONS (after `--`), one argv word each (method-args.ts). */
  methodArgs?: string[];
  /** The CLI may name host files and file: URLs in methodArgs; the API may not. */
  allowHostPaths?: boolean;
  /** Its own user namespace and uid range (default); false: the shared-uid mode. */
  userNamespace?: boolean;
  /** The first host id of the range (CLI `--uid-start`; default: the lowest free range). */
  uidStart?: number;
}

/** Validates everything before anything is made; returns the normalized request. */
export function checkBuildRequest(req: BuildRequest): Required<Pick<BuildRequest, "limits" | "interfaces" | "nameservers">> & BuildRequest & { spec: MethodSpec } {
  checkVserverName(req.name);
  const spec = parseMethodArgs(req.method, req.methodArgs ?? [], { allowHostPaths: req.allowHostPaths ?? false });
  checkHostname(req.hostname ?? req.name);
  checkDomainname(req.domainname ?? "");
  if (req.context !== undefined) checkContext(req.context);
  if (req.uidStart !== undefined && req.userNamespace === false) throw badInput("uidStart", "a uid range needs the user namespace (not --shared-uids)");
  const limits = vserverLimitsPatch.safeParse(req.limits ?? {});
  if (!limits.success) {
    const issue = limits.error.issues[0]!;
    throw badInput(`limits.${issue.path.join(".")}`, issue.message);
  }
  checkEnforceable(limits.data);
  const interfaces = (req.interfaces ?? []).map((a, i) => {
    const parsed = parseInterfaceAddress(a, `interfaces.${i}`);
    return { address: parsed.address, prefix: parsed.prefix };
  });
  const seen = new Set<string>();
  interfaces.forEach((a, i) => {
    if (seen.has(a.address)) throw badInput(`interfaces.${i}`, `${a.address} is given twice`);
    seen.add(a.address);
  });
  const nameservers = req.nameservers ?? [];
  nameservers.forEach((n, i) => {
    if (isIP(n) === 0) throw badInput(`nameservers.${i}`, `"${n}" is not an IP address`);
  });
  return { ...req, limits: limits.data, interfaces, nameservers, spec };
}

/** Refuses addresses another server's configuration has (also inside a routed prefix). */
export { checkAddressesUnused } from "../network/check-addresses-unused";

/** Builds the server; on any failure nothing of it is left. */
export async function buildVserver(paths: HostPaths, request: BuildRequest): Promise<VserverConfig> {
  const req = checkBuildRequest(request);
  // Limits the host cannot give (more RAM or CPUs than it has) fail the build, not the first start.
  await checkHostLimits(await hostCgroups(), null, UNLIMITED, req.limits);
  const log = req.log ?? (() => undefined);
  const progress = req.progress ?? (() => undefined);
  const rootHash = req.rootPassword === undefined ? undefined : hashPassword(req.rootPassword);
  return withServerLock(paths, req.name, () =>
    withReverter(async (r) => {
      const files = configFiles(paths, req.name);
      const root = defaultRootDir(paths, req.name);
      if (fs.existsSync(files.dir)) throw new AgentFailure("CONFLICT", `vserver "${req.name}" already exists (${files.dir})`, "name");
      if (fs.existsSync(root)) throw new AgentFailure("CONFLICT", `${root} already exists; remove it or choose another name`, "name");
      const cfg: VserverConfig = await withContextLock(paths, async () => {
        checkAddressesUnused(paths, req.name, req.interfaces);
        const context = chooseContext(paths, req.context);
        fs.mkdirSync(paths.confDir, { recursive: true, mode: 0o755 });
        r.push("config dir", () => removeConfigPath(files.dir));
        fs.mkdirSync(files.dir, { mode: 0o755 });
        writeValue(files.incomplete, String(process.pid));
        writeValue(files.context, String(context));
        // Chosen and written under the same lock, so a parallel build sees it taken.
        const uidmap = req.userNamespace === false ? null : { ...chooseUidRange(paths, req.uidStart), shifted: false };
        writeUidMap(paths, req.name, uidmap);
        // Host-wide, so an agent with other state directories does not take them too.
        r.push("host claims", () => releaseServerClaims(paths, req.name));
        claimServerIds(paths, req.name);
        return {
          name: req.name,
          context,
          nodename: req.hostname ?? req.name,
          domainname: req.domainname ?? "",
          bcapabilities: [],
          flags: [],
          fstab: [],
          startOnBoot: req.startOnBoot ?? true,
          // Not started yet: nothing starts it at boot until someone starts it once.
          desired: { state: "stopped", by: "build", reason: null, at: new Date().toISOString() },
          initStyle: req.method === "busybox" ? "busybox" : null,
          initArgv: ["/sbin/init"],
          root,
          interfaces: req.interfaces,
          limits: { ...UNLIMITED, ...req.limits },
          nameservers: req.nameservers,
          buildMethod: req.method,
          distribution: null,
          uidmap,
        };
      });
      log(`context ${cfg.context}, ${cfg.uidmap ? `uids ${cfg.uidmap.start}..${cfg.uidmap.start + cfg.uidmap.count - 1} (own user namespace)` : "shared uids (no user namespace)"}`);
      writeVserverConfig(paths, cfg);
      // New servers come back after a crash (issue 13); old ones without the file keep "never".
      writeRestartPolicy(paths, req.name, "on-failure");
      progress(10);
      fs.mkdirSync(paths.rootDir, { recursive: true, mode: 0o755 });
      if (cfg.limits.diskBytes !== null) {
        // The area (an image mounted on the root, or a project id on it) exists before
        // anything is written into the root, so the build itself counts against it.
        r.push("disk area", () => releaseDiskArea(req.name, { running: false, ...diskEnvOf(paths) }));
        const area = await createDiskArea(req.name, { bytes: cfg.limits.diskBytes, inodes: cfg.limits.diskInodes ?? undefined }, diskEnvOf(paths));
        log(`disk area: ${area.mode}, ${cfg.limits.diskBytes} bytes`);
      }
      r.push("root", () => removeRoot(root));
      if (!fs.existsSync(root)) fs.mkdirSync(root, { mode: 0o755 });
      const id = { nodename: cfg.nodename, domainname: cfg.domainname, nameservers: cfg.nameservers, rootHash };
      const populated = await populateRoot({ paths, name: req.name, root, spec: req.spec, id, log, progress, signal: req.signal });
      recordPopulateResult(paths, cfg, req.method, populated);
      if (req.sshKeys !== undefined) setGuestRootAccess(root, { sshKeys: req.sshKeys }, populated.ownerBase);
      // Last, when everything is written: a root that needs it is shifted as a whole.
      cfg.uidmap = await fitRootToUidMap(root, cfg.uidmap, { from: populated.ownerBase, log });
      writeUidMap(paths, req.name, cfg.uidmap);
      progress(90);
      removeConfigPath(files.incomplete);
      log(`built ${req.name} (${req.method}) in ${root}`);
      progress(100);
      return cfg;
    }),
  );
}

/** Removes a root tree without following anything the guest planted, then the directory. */
export function removeRoot(root: string): void {
  let fd: number;
  try {
    fd = openGuestRoot(root);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  try {
    const result = removeGuestTree(fd, "/");
    if (result.skippedMounts.length) {
      throw new AgentFailure("BUSY", `${root}: mount points inside the root stay: ${result.skippedMounts.join(", ")}`);
    }
  } finally {
    closeSync(fd);
  }
  try {
    fs.rmdirSync(root);
  } catch (e) {
    // A mounted disk image keeps its mount point: releasing the disk area removes it.
    if ((e as NodeJS.ErrnoException).code !== "EBUSY") throw e;
  }
}
