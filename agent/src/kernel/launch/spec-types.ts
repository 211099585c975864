/**
 * The data a helper needs to start or enter a vserver. TypeScript decides everything
 * here (policy); the C helpers only carry it out in order.
 */

/** Filesystems the start helper can mount, plus the three bind-based operations. */
export type MountKind = "proc" | "sysfs" | "tmpfs" | "devpts" | "mqueue" | "bind" | "mask" | "readonly";

/** Per-mount flags: mount attributes, `rec` (recursive bind), `optional` (skip when
 * the target does not exist; masks are always optional) and `idmap` (a bind seen through
 * the server's uid range, as its idmapped root is; user-namespace starts only). */
export type MountFlag = "ro" | "nosuid" | "nodev" | "noexec" | "noatime" | "nosymfollow" | "rec" | "optional" | "idmap";

/** Mount a filesystem, bind a host path, or mask / make read-only a guest path. */
export interface MountEntry {
  op: "mount";
  kind: MountKind;
  /** Absolute guest path, resolved beneath the root; never followed if it is a symlink. */
  target: string;
  flags: MountFlag[];
  /** Host path for `bind` (trusted: comes from the agent, never from the guest). */
  source?: string;
  /** Filesystem options as `key=value` or `flag` (fsconfig), e.g. `mode=755`. */
  options?: string[];
}

/** A character device node in the guest's /dev tmpfs (mknod, or bind of the host node). */
export interface DeviceEntry {
  op: "device";
  path: string;
  major: number;
  minor: number;
  /** Permission bits, e.g. 0o666. */
  mode: number;
  /** Host node to bind instead of mknod (checked to be major:minor). */
  bindHost?: string;
}

/** A symlink created in the guest (in /dev, usually). */
export interface SymlinkEntry {
  op: "symlink";
  path: string;
  target: string;
}

/** One step of the guest's filesystem setup; performed in order. */
export type SetupEntry = MountEntry | DeviceEntry | SymlinkEntry;

/**
 * A test on one syscall argument; only its low 32 bits are compared (flag words, and
 * `unsigned int` arguments such as an ioctl's cmd, whose upper half the kernel ignores).
 * `mask`: any of these bits set; `equals`: exactly this value.
 */
export type SeccompArgTest = { index: number; mask: number } | { index: number; equals: number };

/** Deny one syscall number with an errno, optionally only when its argument test holds. */
export interface SeccompRule {
  nr: number;
  errno: number;
  arg?: SeccompArgTest;
}

/** A deny-list filter; calls not listed are allowed. x32 calls are always denied. */
export interface SeccompPolicy {
  x86_64: SeccompRule[];
  /** Rules for 32-bit (int 0x80) calls, or "deny" to refuse every i386 call. */
  i386: SeccompRule[] | "deny";
  /** errno for x32 calls and for i386 calls under "deny". */
  denyErrno: number;
}

/** What both helpers apply just before exec. */
export interface SandboxSpec {
  /** Capability numbers kept in the bounding set (everything else is dropped). */
  keepCaps: number[];
  seccomp?: SeccompPolicy;
  /** PR_SET_NO_NEW_PRIVS: breaks setuid programs in the guest, so off by default. */
  noNewPrivs: boolean;
}

/**
 * The server's own user namespace: guest ids 0..count-1 are host ids uidStart.. and
 * gidStart.. (native/src/helper/userns.h). Every other namespace of the server belongs
 * to it, so the guest's capabilities reach nothing outside.
 */
export interface UserNamespaceSpec {
  uidStart: number;
  gidStart: number;
  count: number;
  /** The root through an idmapped mount (its files stay owned by 0.. on disk); false
   * for a root whose ownership was shifted by uidStart at build (a filesystem without
   * idmapped mounts). */
  idmapRoot: boolean;
}

/** Everything vs-start needs. */
export interface StartSpec extends SandboxSpec {
  /** Host path of the guest root (a real directory, not a symlink). */
  root: string;
  /** Host directory owned by the agent: the monitor writes init-exit.json here. */
  runDir: string;
  hostname?: string;
  domainname?: string;
  /** cgroup.procs files the init joins before any guest code runs. */
  cgroupProcs: string[];
  setup: SetupEntry[];
  /** The init's argv; argv[0] is an absolute path inside the guest. */
  argv: string[];
  env: string[];
  /** Host argv the monitor execs after the init exited (restart, cleanup), with the
   * monitor's environment plus VS_EXIT_FILE (path of init-exit.json). */
  onExit?: string[];
  /** Pause after the namespaces exist until go() (to move a veth in). */
  waitGo: boolean;
  /** "null": the guest's /dev/null; "inherit": the caller's fds 0-2 (tests only: never
   * give a guest a host tty). */
  stdio: "null" | "inherit";
  /** Host file for the monitor's own messages. */
  monitorLog?: string;
  /** Absent: the shared-uid mode (guest ids are host ids). */
  userns?: UserNamespaceSpec;
  /** RLIMIT_NOFILE, soft = hard, set on the init before any guest code runs; absent:
   * inherited from the agent. */
  nofile?: number;
}
