/**
 * Wire types of the vserver operations: what a vserver is on a host, its limits, its
 * usage, and the inputs of the operations that change it.
 */
import { z } from "zod";
import { contextId, domainName, hostName, interfaceAddress, vserverName } from "./names";

const bytes = z.number().int().nonnegative();

/**
 * Text that becomes a C string on the host (an argv word, a password fed to a hashing
 * tool): NUL would end it early or make exec refuse it, so it is refused here, at the edge.
 */
export function cString(max: number) {
  return z.string().max(max).refine((s) => !s.includes("\0"), "must not contain NUL bytes");
}

/**
 * Resource limits. Sizes in bytes, rates in bytes/s (IO) or bits/s (network); null
 * means unlimited, a missing field means "leave as it is" in a change.
 */
export const vserverLimits = z
  .object({
    /** CPU bandwidth as a fraction of cores (0.5 = half a core). */
    cpu: z.number().positive().max(1024).nullable(),
    /** Relative CPU weight, 1..10000 (100 = default). */
    cpuWeight: z.number().int().min(1).max(10000),
    memory: bytes.min(4 * 1024 * 1024, "at least 4M").nullable(),
    swap: bytes.nullable(),
    pids: z.number().int().min(1).nullable(),
    diskBytes: bytes.min(16 * 1024 * 1024, "at least 16M").nullable(),
    diskInodes: z.number().int().min(1).nullable(),
    ioReadBps: bytes.nullable(),
    ioWriteBps: bytes.nullable(),
    ioReadIops: z.number().int().nonnegative().nullable(),
    ioWriteIops: z.number().int().nonnegative().nullable(),
    /** Network rate in bits/s, each direction. */
    netRate: z.number().int().positive().nullable(),
  })
  .strict();

/** All limits of a vserver. */
export type VserverLimits = z.infer<typeof vserverLimits>;

/** A change of some limits. */
export const vserverLimitsPatch = vserverLimits.partial();

/** Parsed form of {@link vserverLimitsPatch}. */
export type VserverLimitsPatch = z.infer<typeof vserverLimitsPatch>;

/** Build methods (util-vserver's `vserver NAME build -m METHOD`). */
export const buildMethod = z.enum(["skeleton", "busybox", "debootstrap", "template", "rpm"]);

/** How a vserver's disk limit is enforced on its host. */
export const diskMode = z.enum(["project", "loop", "none"]);

/**
 * What was last decided for a server's running state — the desired state, which the host
 * keeps so that it acts alone after a reboot or an agent restart (a suspended or stopped
 * server does not start at boot; a running one does).
 */
export const desiredRunState = z.enum(["running", "stopped", "suspended"]);

/** Parsed form of {@link desiredRunState}. */
export type DesiredRunState = z.infer<typeof desiredRunState>;

/** Who made that decision: the panel (through the agent API), the host's CLI, the guest
 * itself (a halt from inside), or the build (a new server that was not started). */
export const desiredSource = z.enum(["panel", "cli", "guest", "build"]);

/** Parsed form of {@link desiredSource}. */
export type DesiredSource = z.infer<typeof desiredSource>;

/** Text kept in a one-line host record: no line breaks, no NUL. */
export const recordText = z
  .string()
  .max(500)
  .refine((s) => !/[\0\r\n]/.test(s), "must be one line of text");

/** A host's record of the desired state. */
export const desiredState = z.object({
  state: desiredRunState,
  by: desiredSource,
  /** Why (a suspension's reason), for the people who read the host's record. */
  reason: recordText.nullable(),
  /** When it was decided (ISO time); null when unknown. */
  at: z.string().nullable(),
});

/** Parsed form of {@link desiredState}. */
export type DesiredState = z.infer<typeof desiredState>;

/**
 * What the host does when a server's init ends on its own (`apps/init/restart-policy`):
 * `never` leaves it stopped; `on-failure` starts it again after a crash, an OOM kill or a
 * non-zero exit, with a growing delay (1 s doubling to 5 min, reset after 10 min up). A
 * reboot from inside always restarts, a halt from inside always stays stopped, and a
 * server stopped or suspended on purpose is never restarted by the policy.
 */
export const restartPolicy = z.enum(["never", "on-failure"]);

/** Parsed form of {@link restartPolicy}. */
export type RestartPolicy = z.infer<typeof restartPolicy>;

/** Why a server's init ended on its own, as the host recorded it. */
export const lastExit = z.object({
  /** When the agent saw the end (ISO time). */
  at: z.string(),
  /** `oom`: killed while the server's memory group counted OOM kills; `signal`: killed by
   * another signal; `exit`: the init exited; `reboot`/`halt`: the guest called reboot(2). */
  cause: z.enum(["oom", "signal", "exit", "reboot", "halt"]),
  /** The signal number (signal, oom, reboot, halt) or null. */
  signal: z.number().int().nullable(),
  /** The exit status (exit) or null. */
  exitCode: z.number().int().nullable(),
  /** OOM kills the server's memory group counted during that run (null: unknown). */
  oomKills: z.number().int().nonnegative().nullable(),
  /** How long the run lasted, in seconds (null: unknown). */
  uptimeSec: z.number().nonnegative().nullable(),
  /** What the host did: restarted at once (a reboot), scheduled a restart after
   * `restartDelaySec` (the policy), or left it stopped. */
  action: z.enum(["restart", "restart-scheduled", "stopped"]),
  /** The back-off delay before the scheduled restart (1, 2, 4, … 300 s), else null. */
  restartDelaySec: z.number().int().nonnegative().nullable(),
  /** Failures in a row that the policy restarted (1 for the first), else null. */
  failuresInRow: z.number().int().nonnegative().nullable(),
});

/** Parsed form of {@link lastExit}. */
export type LastExit = z.infer<typeof lastExit>;

/** A vserver as its host knows it. */
export const vserverInfo = z.object({
  name: vserverName,
  context: contextId,
  hostname: z.string(),
  domainname: z.string(),
  state: z.enum(["running", "stopped"]),
  /** Host pid of the guest's init while running. */
  initPid: z.number().int().positive().nullable(),
  startedAt: z.string().nullable(),
  startOnBoot: z.boolean(),
  buildMethod: z.string().nullable(),
  distribution: z.string().nullable(),
  interfaces: z.array(interfaceAddress),
  limits: vserverLimits,
  /** The `bcapabilities` entries: `CAP_X` adds to the default bounding set, `~CAP_X` removes. */
  capabilities: z.array(z.string().regex(/^~?CAP_[A-Z_]{2,30}$/)),
  /** The `flags` entries (noreboot, runtmpfs, nonewprivs). */
  flags: z.array(z.string()),
  diskMode,
  /**
   * Its own user namespace with a host-unique uid range (the default): guest root is an
   * unprivileged host uid. false: the shared-uid mode (guest ids are host ids), which an
   * agent before user namespaces also means by sending nothing.
   */
  userNamespace: z.boolean().default(false),
  /**
   * The host's record of the desired state; null when it has none (a util-vserver
   * configuration: then `apps/init/mark` alone decides the start at boot).
   */
  desired: desiredState.nullable().default(null),
  /** What the host does when the init ends on its own (an older agent sends nothing: never). */
  restartPolicy: restartPolicy.default("never"),
  /** The last time the init ended on its own (not a stop someone asked for); null: none known. */
  lastExit: lastExit.nullable().default(null),
  /** Until when the server runs its rescue system (lib/protocol/rescue.ts); null: it does not. */
  rescueUntil: z.string().nullable().default(null),
});

/** Parsed form of {@link vserverInfo}. */
export type VserverInfo = z.infer<typeof vserverInfo>;

/** An amount of a vserver's usage; null where the host cannot measure it. */
const measured = z.number().nonnegative().nullable();

/** Resource usage of a vserver (null where the host cannot measure it). */
export const vserverUsage = z.object({
  name: vserverName,
  running: z.boolean(),
  cpuUsageUsec: measured,
  cpuUserUsec: measured,
  cpuSystemUsec: measured,
  memoryBytes: measured,
  memoryPeakBytes: measured,
  swapBytes: measured,
  oomKills: z.number().int().nonnegative().nullable(),
  processes: z.number().int().nonnegative(),
  ioReadBytes: measured,
  ioWriteBytes: measured,
  diskBytesUsed: measured,
  diskInodesUsed: measured,
  netRxBytes: measured,
  netTxBytes: measured,
  sampledAt: z.string(),
});

/** Parsed form of {@link vserverUsage}. */
export type VserverUsage = z.infer<typeof vserverUsage>;

/** Input of `createVserver`: build a new server (a slow operation with an id). */
export const createVserverInput = z
  .object({
    name: vserverName,
    /** Picked by the agent (lowest free) when absent. */
    context: contextId.optional(),
    hostname: hostName,
    domainname: domainName.default(""),
    method: buildMethod,
    /** Method options (e.g. debootstrap `-d bookworm`); each is one argv word, never a shell string. */
    methodArgs: z.array(cString(4096)).max(64).default([]),
    limits: vserverLimitsPatch.default({}),
    interfaces: z.array(interfaceAddress).max(64).default([]),
    nameservers: z.array(z.string()).max(8).default([]),
    startOnBoot: z.boolean().default(true),
    rootPassword: cString(256).min(8).optional(),
    sshKeys: z.array(z.string().max(16384)).max(32).optional(),
    /** Start the server when the build is done. */
    start: z.boolean().default(false),
    /** Its own user namespace and uid range; false builds a shared-uid server (less safe:
     * SECURITY.md rule 5). */
    userNamespace: z.boolean().default(true),
  })
  .strict();

/** A slow operation on a host (build, reinstall, …): progress and log lines. */
export const operationInfo = z.object({
  id: z.string(),
  type: z.string(),
  target: z.string().nullable(),
  state: z.enum(["running", "succeeded", "failed"]),
  progress: z.number().min(0).max(100),
  /** Log lines after `sinceLine` (all when not given). */
  lines: z.array(z.object({ seq: z.number().int(), at: z.string(), text: z.string() })),
  nextLine: z.number().int(),
  /** Why it failed; `field` names the input that was wrong, when one was (e.g. `context`). */
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** What a finished operation reports besides its log (e.g. a transfer round's bytes); absent when it reports nothing. */
  result: z.record(z.string().max(64), z.union([z.number(), z.string().max(1000), z.boolean(), z.null()])).optional(),
});

/** Parsed form of {@link operationInfo}. */
export type OperationInfo = z.infer<typeof operationInfo>;

/** Input of `execInVserver`: a non-interactive command with bounded output. */
export const execInput = z
  .object({
    name: vserverName,
    argv: z.array(cString(65536)).min(1).max(1024),
    stdin: z.string().max(1024 * 1024).optional(),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    maxOutputBytes: z.number().int().min(1).max(4 * 1024 * 1024).default(256 * 1024),
  })
  .strict();

/** Result of `execInVserver`. */
export const execResult = z.object({
  exitCode: z.number().int(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean(),
  timedOut: z.boolean(),
});

/** Input of `runVserver`: start a stopped server with `argv` as its init, wait for the exit. */
export const runInput = z
  .object({
    name: vserverName,
    argv: z.array(cString(65536)).min(1).max(1024),
    timeoutMs: z.number().int().min(100).max(3_600_000).default(600_000),
  })
  .strict();

/** Result of `runVserver`. */
export const runResult = z.object({
  /** Exit code, or 128+N when killed by signal N. */
  exitCode: z.number().int(),
  timedOut: z.boolean(),
});

/** One process as `vps` shows it. */
export const processRow = z.object({
  pid: z.number().int(),
  ppid: z.number().int(),
  /** Context id (0 = the host). */
  context: z.number().int(),
  /** Server name, or "MAIN" for the host. */
  vserver: z.string(),
  /** Pid inside the server's pid namespace (null on the host). */
  guestPid: z.number().int().nullable(),
  user: z.string(),
  /** Host uid. */
  uid: z.number().int(),
  /** The uid inside its server (through the server's uid map; equal to `uid` with shared
   * uids); null on the host. */
  guestUid: z.number().int().nullable().default(null),
  state: z.string(),
  cpuPercent: z.number(),
  rssBytes: z.number(),
  vszBytes: z.number(),
  startedAt: z.string(),
  cpuTimeSec: z.number(),
  command: z.string(),
});

/** One running server as `vserver-stat` shows it. */
export const vserverStatRow = z.object({
  context: z.number().int(),
  name: z.string(),
  processes: z.number().int(),
  vszBytes: z.number(),
  rssBytes: z.number(),
  userTimeSec: z.number(),
  systemTimeSec: z.number(),
  uptimeSec: z.number(),
});

/** Input naming one server. */
export const byName = z.object({ name: vserverName }).strict();

/** Input of `stopVserver`/`restartVserver`. */
export const stopInput = z.object({ name: vserverName, timeoutSec: z.number().int().min(0).max(600).default(30) }).strict();

/** Input of `setDesiredState`: record what the server should be and bring it there. */
export const setDesiredStateInput = z
  .object({
    name: vserverName,
    state: desiredRunState,
    /** A suspension's reason (kept on the host with the decision). */
    reason: recordText.optional(),
    /** For a stop: seconds the guest's init gets before what remains is killed. */
    timeoutSec: z.number().int().min(0).max(600).default(30),
  })
  .strict();

/** Input of `setRestartPolicy`. */
export const restartPolicyInput = z.object({ name: vserverName, policy: restartPolicy }).strict();

/** Input of `setUserNamespace`: switch a server between its own user namespace and the
 * shared-uid mode (applied at its next start). */
export const userNamespaceInput = z.object({ name: vserverName, enabled: z.boolean() }).strict();

/** Input of `setLimits`. */
export const setLimitsInput = z.object({ name: vserverName, limits: vserverLimitsPatch }).strict();

/** Input of `addAddress`/`removeAddress`. */
export const addressInput = z.object({ name: vserverName, address: interfaceAddress }).strict();

/** Input of `setRootAccess`: a new root password and/or authorized SSH keys. */
export const rootAccessInput = z
  .object({
    name: vserverName,
    rootPassword: cString(256).min(8).optional(),
    sshKeys: z.array(z.string().max(16384)).max(32).optional(),
  })
  .strict()
  .refine((v) => v.rootPassword !== undefined || v.sshKeys !== undefined, "give rootPassword or sshKeys");
