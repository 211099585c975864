/**
 * The one cgroup interface of the agent. Two backends implement it (v1 and v2); the
 * rest of the agent never needs to know which one runs.
 */
import type { DeviceRule } from "./device-policy";

/** Bandwidth and IOPS limits on one whole block device; null = unlimited. */
export interface IoLimit {
  /** "MAJ:MIN" of a whole disk (see `blockDeviceOf`). */
  device: string;
  readBps: number | null;
  writeBps: number | null;
  readIops: number | null;
  writeIops: number | null;
}

/** Every limit a vserver's cgroup carries. Sizes in bytes; null = unlimited. */
export interface CgroupLimits {
  /** CPU bandwidth as a fraction of cores: 0.5 is half a core, 2 is two cores. */
  cpuQuota: number | null;
  /** Relative CPU weight 1..10000 (v2 semantics; 100 is the default). */
  cpuWeight: number;
  /** CPUs allowed, as a kernel list ("0-1,3"); null = all of the parent's. */
  cpus: string | null;
  /** RAM (v1 memory.limit_in_bytes, v2 memory.max). */
  memory: number | null;
  /** Swap on top of `memory` (v1 memsw = memory + swap, v2 memory.swap.max). */
  swap: number | null;
  /** Tasks (processes and threads). */
  pids: number | null;
  /** Per-device limits; a device not listed is unlimited. */
  io: IoLimit[];
}

/** A change of limits: only the fields present are written; the others stay as they are. */
export type CgroupLimitsPatch = Partial<CgroupLimits>;

/** Resource usage of one group, with null where the host lacks the controller. */
export interface CgroupUsage {
  cpu: {
    usageUsec: number;
    userUsec: number;
    systemUsec: number;
    /** CFS bandwidth enforcement; null without the cpu controller. */
    throttling: { periods: number; throttledPeriods: number; throttledUsec: number } | null;
  } | null;
  memory: {
    currentBytes: number;
    /** High-water mark; null where the kernel does not keep one (v2 before 5.19). */
    peakBytes: number | null;
    /** null without swap accounting. */
    swapBytes: number | null;
    /** Processes the OOM killer killed in this group. */
    oomKills: number;
  } | null;
  /** pids.current: tasks including threads; null without the pids controller. */
  tasks: number | null;
  /** Processes (thread group leaders) in the group and its descendants. */
  processes: number;
  io: {
    readBytes: number;
    writeBytes: number;
    devices: { device: string; readBytes: number; writeBytes: number }[];
  } | null;
}

/** Options of {@link Cgroups.create}. */
export interface CreateOptions {
  /**
   * Device access policy for the group. Defaults to `defaultDeviceRules`.
   * "unrestricted" skips the device filter and exists for tests and hosts where an
   * admin has decided so; a v2 host without the native filter otherwise refuses.
   */
  devices?: readonly DeviceRule[] | "unrestricted";
}

/** Options of {@link Cgroups.remove}. */
export interface RemoveOptions {
  /** Kill every process first (SIGKILL); otherwise a populated group is refused. */
  kill?: boolean;
}

/** Per-vserver cgroups under one parent, on whichever cgroup version the host runs. */
export interface Cgroups {
  /** Which backend this is. */
  readonly version: "v1" | "v2";
  /** The parent group (relative to each hierarchy's root), e.g. "vservers". */
  readonly parent: string;
  /** Controllers this backend can use on this host. */
  readonly controllers: readonly string[];

  /** Creates the group (idempotent), with controllers enabled and devices filtered. */
  create(name: string, options?: CreateOptions): Promise<void>;
  /** Removes the group when it is empty (or after killing, if asked); missing is fine. */
  remove(name: string, options?: RemoveOptions): Promise<void>;
  /** Whether the group exists (in any hierarchy). */
  exists(name: string): Promise<boolean>;
  /** Names of the groups under the parent. */
  list(): Promise<string[]>;
  /** Directories of the group, one per hierarchy (for diagnostics and tests). */
  dirs(name: string): string[];
  /** Directories of the parent, one per hierarchy. */
  parentDirs(): string[];
  /**
   * The group's directory in the hierarchy that carries `controller` (v2: the one
   * directory), or null when the host lacks it: the usage sampler reads the few files it
   * needs from there, without the walk {@link usage} makes.
   */
  controllerDir(name: string, controller: string): string | null;

  /** Validates the whole patch, then writes it; bad input changes nothing. */
  setLimits(name: string, patch: CgroupLimitsPatch): Promise<void>;
  /** The limits as the kernel has them now. */
  readLimits(name: string): Promise<CgroupLimits>;
  /** Current usage counters. */
  usage(name: string): Promise<CgroupUsage>;
  /** Replaces the device access policy (v1 devices list, v2 eBPF program). */
  setDeviceRules(name: string, rules: readonly DeviceRule[]): Promise<void>;

  /**
   * The `cgroup.procs` files a new process must be written into, in order: one per v1
   * hierarchy (including the named systemd one and, on a hybrid host, the cgroup2 mount),
   * or one on v2. The start helper writes the guest init's pid into each before exec.
   */
  procsFiles(name: string): string[];
  /** Moves a running process into the group (every hierarchy). */
  attach(name: string, pid: number): Promise<void>;
  /** Pids of every process in the group and its descendants, sorted. */
  pids(name: string): Promise<number[]>;
  /** Stops every process in the group; resolves once the kernel reports it frozen. */
  freeze(name: string): Promise<void>;
  /** Lets a frozen group run again. */
  thaw(name: string): Promise<void>;
  /**
   * Signals every process in the group so that none can fork away meanwhile. For SIGKILL
   * it resolves once the group is empty.
   */
  killAll(name: string, signal?: NodeJS.Signals): Promise<void>;
}
