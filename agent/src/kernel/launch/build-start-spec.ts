/**
 * Builds a StartSpec from a vserver description and the default policy. The caller
 * (ops) has already validated names and created the cgroups; extra mounts come parsed
 * from the vserver's fstab.
 */
import { defaultKeptCaps } from "./default-caps";
import { DEFAULT_DEVICES, DEFAULT_DEV_SYMLINKS } from "./default-devices";
import { BASE_FS_MOUNTS, DEV_SUBMOUNTS, RUN_TMPFS, maskEntries, readonlyEntries } from "./default-mounts";
import { defaultSeccomp } from "./default-seccomp";
import type { DeviceEntry, MountEntry, SeccompPolicy, StartSpec, UserNamespaceSpec } from "./spec-types";

/** What the agent knows about a vserver when it starts it. */
export interface VserverLaunchDescription {
  /** Host path of the guest root (already resolved: util-vserver's `vdir` is a link). */
  root: string;
  runDir: string;
  hostname?: string;
  domainname?: string;
  /** Kept capabilities; defaults to {@link defaultKeptCaps}. */
  keepCaps?: number[];
  /** Mounts from the vserver's fstab, applied after the base mounts, before masks. */
  extraMounts?: MountEntry[];
  /** The own-resource view: binds over /proc and /sys files (own-view-mounts.ts). */
  ownView?: MountEntry[];
  /** RLIMIT_NOFILE (soft and hard) of the init, inherited by every guest process. */
  nofile?: number;
  cgroupProcs: string[];
  /** Defaults to ["/sbin/init"]. */
  argv?: string[];
  env?: string[];
  onExit?: string[];
  waitGo?: boolean;
  /** Mount an empty tmpfs on /run. */
  runTmpfs?: boolean;
  /** Override the seccomp policy (null: no filter; only for diagnosis). */
  seccomp?: SeccompPolicy | null;
  noNewPrivs?: boolean;
  stdio?: StartSpec["stdio"];
  monitorLog?: string;
  /** The server's own user namespace; absent for the shared-uid mode. */
  userns?: UserNamespaceSpec;
}

/** The environment an init gets unless the description says otherwise. */
export const DEFAULT_INIT_ENV: readonly string[] = Object.freeze([
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "TERM=linux",
  "container=vserver",
]);

/**
 * In a user namespace mknod of a device is refused (it needs CAP_MKNOD of the host), and
 * a tmpfs mounted there ignores device nodes anyway: the host's own nodes are bound
 * instead (vs-start checks each is the major:minor named here).
 */
function devicesFor(userns: boolean): DeviceEntry[] {
  return DEFAULT_DEVICES.map((d) => (userns ? { ...d, bindHost: d.path } : { ...d }));
}

/** The spec for vs-start, in the order the start sequence needs. */
export function buildStartSpec(d: VserverLaunchDescription): StartSpec {
  const setup = [
    ...BASE_FS_MOUNTS,
    ...devicesFor(d.userns !== undefined),
    ...DEFAULT_DEV_SYMLINKS,
    ...DEV_SUBMOUNTS,
    ...(d.runTmpfs ? [RUN_TMPFS] : []),
    ...(d.extraMounts ?? []),
    // After the fstab's: a guest fstab bind over /proc cannot hide the own view.
    ...(d.ownView ?? []),
    // Masks and read-only binds last, so nothing mounted later can uncover them.
    ...maskEntries(),
    ...readonlyEntries(),
  ];
  return {
    root: d.root,
    runDir: d.runDir,
    hostname: d.hostname,
    domainname: d.domainname,
    cgroupProcs: d.cgroupProcs,
    setup: setup.map((e) => ({ ...e })),
    argv: d.argv ?? ["/sbin/init"],
    env: d.env ?? [...DEFAULT_INIT_ENV],
    onExit: d.onExit,
    waitGo: d.waitGo ?? false,
    stdio: d.stdio ?? "null",
    monitorLog: d.monitorLog,
    keepCaps: d.keepCaps ?? defaultKeptCaps(),
    seccomp: d.seccomp === null ? undefined : (d.seccomp ?? defaultSeccomp()),
    noNewPrivs: d.noNewPrivs ?? false,
    ...(d.nofile !== undefined ? { nofile: d.nofile } : {}),
    ...(d.userns ? { userns: { ...d.userns } } : {}),
  };
}
