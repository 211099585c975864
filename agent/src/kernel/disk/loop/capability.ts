/**
 * Whether this process holds a capability (CapEff in /proc/self/status). An agent may
 * run without some (a container host, or a sandbox like the test VM, which drops
 * CAP_SYS_RESOURCE); online ext4 resizing is refused then, and we say so up front.
 */
import fs from "node:fs";

/** CAP_SYS_RESOURCE from <linux/capability.h>. */
export const CAP_SYS_RESOURCE = 24;

/** Whether capability number `cap` is in our effective set. */
export function hasCapability(cap: number, statusText?: string): boolean {
  const text = statusText ?? fs.readFileSync("/proc/self/status", "utf8");
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(text);
  if (!m) return false;
  return ((BigInt(`0x${m[1]}`) >> BigInt(cap)) & 1n) === 1n;
}
