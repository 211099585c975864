/**
 * Global forwarding and how to undo it exactly. Writing net.ipv4.ip_forward or
 * net.ipv6.conf.all.forwarding rewrites `forwarding` of every device and of `default`
 * (and IPv4 flips conf.all.accept_redirects), so switching it back alone would lose a
 * device that had forwarding on by itself. We save every value the switch touches and
 * restore the global switch first, then each saved value that came out different.
 */
import { readdir } from "node:fs/promises";
import { readHostSysctl, writeHostSysctl } from "./sysctl";

/** The two global switches, IPv4 first. */
export const GLOBAL_SWITCHES = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"] as const;

async function confNames(family: "ipv4" | "ipv6"): Promise<string[]> {
  try {
    // Names with dots (VLANs like eth0.5) cannot be written as dotted keys; they keep
    // whatever the global switch gives them.
    return (await readdir(`/proc/sys/net/${family}/conf`)).filter((n) => /^[A-Za-z0-9_-]+$/.test(n));
  } catch {
    return [];
  }
}

/** Every sysctl a change of global forwarding touches, with its current value, in restore order. */
export async function snapshotForwarding(): Promise<[string, string][]> {
  const keys: string[] = ["net.ipv4.ip_forward"];
  for (const n of await confNames("ipv4")) if (n !== "all") keys.push(`net.ipv4.conf.${n}.forwarding`);
  keys.push("net.ipv4.conf.all.accept_redirects", "net.ipv6.conf.all.forwarding");
  for (const n of await confNames("ipv6")) if (n !== "all") keys.push(`net.ipv6.conf.${n}.forwarding`);
  const out: [string, string][] = [];
  for (const key of keys) {
    const value = await readHostSysctl(key);
    if (value !== null) out.push([key, value]);
  }
  return out;
}

/** True when both global switches are on. */
export async function globalForwardingOn(): Promise<boolean> {
  for (const key of GLOBAL_SWITCHES) if ((await readHostSysctl(key)) !== "1") return false;
  return true;
}

/** Turns both global switches on; returns the keys it changed. */
export async function enableGlobalForwarding(): Promise<string[]> {
  const changed: string[] = [];
  for (const key of GLOBAL_SWITCHES) {
    if ((await readHostSysctl(key)) !== "1") {
      await writeHostSysctl(key, "1");
      changed.push(key);
    }
  }
  return changed;
}

/**
 * Puts saved values back, in saved order, writing only what differs now and skipping
 * devices that no longer exist. Returns the keys written.
 */
export async function restoreSysctls(saved: [string, string][]): Promise<string[]> {
  const written: string[] = [];
  for (const [key, value] of saved) {
    const now = await readHostSysctl(key);
    if (now === null || now === value) continue;
    await writeHostSysctl(key, value);
    written.push(key);
  }
  return written;
}

/** True when this kernel has per-device IPv6 forwarding (net.ipv6.conf.*.force_forwarding, 6.17+). */
export async function hasForceForwarding(): Promise<boolean> {
  return (await readHostSysctl("net.ipv6.conf.all.force_forwarding")) !== null;
}
