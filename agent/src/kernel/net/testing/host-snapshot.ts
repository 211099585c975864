/**
 * What a test suite must leave as it found it on the host: routes, addresses, the nft
 * ruleset outside the agent's own tables, and forwarding sysctls. Other engineers' tests
 * may run at the same moment and make vsh/vsi devices and netdev vs tables of their
 * own, so those are left out here and each suite checks its own ctx values by name.
 */
import { readdir, readFile } from "node:fs/promises";
import { must } from "./fixture";

const foreign = /\b(vs[hi]\d+|vst\S*)/;

async function forwardingSysctls(): Promise<string[]> {
  const out: string[] = [];
  for (const family of ["ipv4", "ipv6"] as const) {
    for (const dev of (await readdir(`/proc/sys/net/${family}/conf`)).sort()) {
      if (foreign.test(dev)) continue;
      const value = (await readFile(`/proc/sys/net/${family}/conf/${dev}/forwarding`, "utf8")).trim();
      out.push(`${family}.${dev}.forwarding=${value}`);
    }
  }
  out.push(`ip_forward=${(await readFile("/proc/sys/net/ipv4/ip_forward", "utf8")).trim()}`);
  return out;
}

function withoutAgentTables(ruleset: string): string {
  return ruleset.replace(/^table netdev vs\d+ \{[\s\S]*?^\}\n?/gm, "");
}

/** A comparable picture of the host's network state. */
export async function hostSnapshot(): Promise<Record<string, string[]>> {
  const lines = (text: string) => text.split("\n").filter((l) => l.trim() && !foreign.test(l));
  return {
    "ip route": lines(await must(["ip", "-4", "route", "show", "table", "all"])),
    "ip -6 route": lines(await must(["ip", "-6", "route", "show", "table", "all"])),
    "ip addr": lines(await must(["ip", "-o", "addr", "show"])),
    "nft list ruleset": withoutAgentTables(await must(["nft", "list", "ruleset"])).split("\n").filter((l) => l.trim()),
    sysctls: await forwardingSysctls(),
  };
}
