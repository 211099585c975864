/**
 * Which device nodes a vserver may use: policy as data, applied by the v1 `devices`
 * controller or the v2 eBPF filter (see device-filter.ts).
 *
 * Everything not listed is denied. `mknod` of any node is allowed (`m` on *:*), so a
 * guest's package manager and MAKEDEV keep working, but opening a disk node it made
 * fails with EPERM: a guest root must never read the host's disks (SECURITY.md rule 3).
 */

/** One allow rule, in the v1 `devices.allow` sense. */
export interface DeviceRule {
  /** "c" char, "b" block, "a" both. */
  type: "a" | "b" | "c";
  /** Major number, or null for any (`*`). */
  major: number | null;
  /** Minor number, or null for any (`*`). */
  minor: number | null;
  /** Subset of "rwm": read, write, mknod. */
  access: string;
}

const rw = "rwm";

/** The devices a vserver may open: the ones the start helper puts in the guest's /dev. */
export const defaultDeviceRules: readonly DeviceRule[] = Object.freeze([
  { type: "c", major: null, minor: null, access: "m" }, // mknod any char node
  { type: "b", major: null, minor: null, access: "m" }, // mknod any block node
  { type: "c", major: 1, minor: 3, access: rw }, // null
  { type: "c", major: 1, minor: 5, access: rw }, // zero
  { type: "c", major: 1, minor: 7, access: rw }, // full
  { type: "c", major: 1, minor: 8, access: rw }, // random
  { type: "c", major: 1, minor: 9, access: rw }, // urandom
  { type: "c", major: 5, minor: 0, access: rw }, // tty
  { type: "c", major: 5, minor: 1, access: rw }, // console
  { type: "c", major: 5, minor: 2, access: rw }, // ptmx
  { type: "c", major: 136, minor: null, access: rw }, // pts/*
]);

/** A rule in the v1 `devices.allow` syntax: "c 1:3 rwm", "b *:* m". */
export function formatDeviceRule(rule: DeviceRule): string {
  const number = (n: number | null) => (n === null ? "*" : String(n));
  return `${rule.type} ${number(rule.major)}:${number(rule.minor)} ${rule.access}`;
}

/** Checks a rule list from outside (a policy file, a request); returns a reason or null. */
export function checkDeviceRules(rules: readonly DeviceRule[]): string | null {
  for (const [index, rule] of rules.entries()) {
    const where = `devices[${index}]`;
    if (!["a", "b", "c"].includes(rule.type)) return `${where}.type must be a, b or c`;
    for (const key of ["major", "minor"] as const) {
      const n = rule[key];
      if (n !== null && !(Number.isInteger(n) && n >= 0 && n < 2 ** 20)) {
        return `${where}.${key} must be a device number or null`;
      }
    }
    if (!/^(?!.*(.).*\1)[rwm]{1,3}$/.test(rule.access)) {
      return `${where}.access must be a non-empty subset of "rwm"`;
    }
  }
  return null;
}
