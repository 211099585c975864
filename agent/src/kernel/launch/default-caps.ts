/**
 * The default capability bounding set of a vserver: Docker's default set plus SYS_BOOT.
 * The same set in both modes: with the server's own user namespace (the default) these
 * capabilities count only there, over its own namespaces and its own range of ids; with
 * shared uids they are the host's.
 *
 * Kept (Docker's defaults): CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID,
 * SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP.
 *
 * SYS_BOOT is kept on purpose, deviating from SECURITY.md rule 4: in a non-initial pid
 * namespace reboot(2) never reaches the host. kernel/reboot.c calls reboot_pid_ns(),
 * which kills that namespace's init and makes its wait status say SIGHUP (restart) or
 * SIGINT (halt/power-off); every other command returns EINVAL there. That is exactly how
 * a guest's `reboot` restarts only the guest: the monitor sees the signal and the agent
 * starts the vserver again.
 *
 * MKNOD is kept like Docker: guest package managers and installers create device nodes.
 * A node gives access only through the device cgroup, which MUST deny everything but the
 * default devices (v1 devices.deny "a" + devices.allow; v2 a BPF device program). In a
 * user namespace mknod of a device is refused anyway (only FIFOs and sockets are made).
 *
 * Dropped, among others: SYS_ADMIN (mount, namespaces, most of the kernel), SYS_MODULE,
 * SYS_RAWIO, SYS_TIME, SYS_PTRACE (guest root would otherwise ptrace a non-dumpable host
 * helper that entered the guest), SYS_RESOURCE (lets root exceed quotas and rlimits),
 * SYS_NICE, SYS_PACCT, SYS_TTY_CONFIG, MAC_ADMIN, MAC_OVERRIDE, SYSLOG (kernel log and
 * kallsyms), WAKE_ALARM, BLOCK_SUSPEND, AUDIT_CONTROL, AUDIT_READ, PERFMON, BPF,
 * CHECKPOINT_RESTORE, DAC_READ_SEARCH (open_by_handle_at), LINUX_IMMUTABLE, IPC_LOCK,
 * IPC_OWNER, NET_BROADCAST, LEASE (not in Docker's set; file leases are rarely needed)
 * and NET_ADMIN (addresses, routes and filters of the guest's netns are the agent's job,
 * as with util-vserver; a plan can add it through `bcapabilities`).
 */
import { capabilityNumbers, type CapabilityName } from "./capabilities";

/** Names of the default kept capabilities. */
export const DEFAULT_KEPT_CAPABILITIES: readonly CapabilityName[] = Object.freeze([
  "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
  "NET_BIND_SERVICE", "NET_RAW", "SYS_CHROOT", "MKNOD", "AUDIT_WRITE", "SETFCAP", "SYS_BOOT",
]);

/** Numbers of {@link DEFAULT_KEPT_CAPABILITIES}, sorted. */
export function defaultKeptCaps(): number[] {
  return capabilityNumbers(DEFAULT_KEPT_CAPABILITIES).sort((a, b) => a - b);
}
