/**
 * Linux capability names and numbers (include/uapi/linux/capability.h, up to
 * CAP_CHECKPOINT_RESTORE = 40), and the util-vserver `bcapabilities` file format:
 * one name per line (CAP_NET_ADMIN or NET_ADMIN), `#` comments, an optional leading `~`
 * or `!` to remove a capability from the set instead of adding it.
 */

/** Capability names without the CAP_ prefix, indexed by number. */
export const CAPABILITY_NAMES = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
  "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
  "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
  "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
  "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
  "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
] as const;

/** A capability name without the CAP_ prefix. */
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

/** The number of a capability given as `CAP_X`, `X` or `cap_x`; undefined if unknown. */
export function capabilityNumber(name: string): number | undefined {
  const n = name.trim().toUpperCase().replace(/^CAP_/, "");
  const i = (CAPABILITY_NAMES as readonly string[]).indexOf(n);
  return i < 0 ? undefined : i;
}

/** `CAP_X` for a number; throws RangeError for an unknown one. */
export function capabilityName(nr: number): `CAP_${CapabilityName}` {
  const n = CAPABILITY_NAMES[nr];
  if (n === undefined) throw new RangeError(`unknown capability number ${nr}`);
  return `CAP_${n}`;
}

/** Numbers of a list of names; throws naming the first unknown one. */
export function capabilityNumbers(names: readonly string[]): number[] {
  return names.map((n) => {
    const nr = capabilityNumber(n);
    if (nr === undefined) throw new RangeError(`unknown capability ${JSON.stringify(n)}`);
    return nr;
  });
}

/**
 * Applies a util-vserver `bcapabilities` file to a base set: plain names add, `~NAME`
 * or `!NAME` remove. Returns the sorted numbers; throws on an unknown name so a typo
 * never silently grants or keeps something.
 */
export function applyBcapabilities(base: readonly number[], text: string): number[] {
  const set = new Set(base);
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const remove = line.startsWith("~") || line.startsWith("!");
    const name = remove ? line.slice(1) : line;
    const nr = capabilityNumber(name);
    if (nr === undefined) throw new RangeError(`bcapabilities: unknown capability ${JSON.stringify(name)}`);
    if (remove) set.delete(nr);
    else set.add(nr);
  }
  return [...set].sort((a, b) => a - b);
}
