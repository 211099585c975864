/**
 * Forward confirmation: does the PTR's name resolve back to the address (A or AAAA)?
 * Mail servers check this; a mismatch is a warning to the user, never a refusal (the
 * forward record is often set after the reverse one). Asked of the system resolver with a
 * short timeout and one try, so a slow resolver cannot hold up the change.
 */
import { Resolver } from "node:dns/promises";
import { canonicalAddress } from "@/lib/net/cidr";

/** The warning to show, or null when the name resolves to the address. */
export async function forwardConfirmWarning(name: string, address: string, family: 4 | 6, servers?: string[]): Promise<string | null> {
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  if (servers) resolver.setServers(servers);
  try {
    const found = family === 4 ? await resolver.resolve4(name) : await resolver.resolve6(name);
    if (found.some((a) => canonicalAddress(a) === address)) return null;
    return `${name} does not resolve to ${address} (it resolves to ${found.slice(0, 3).join(", ")}); mail servers may distrust the record until its ${family === 4 ? "A" : "AAAA"} record points back`;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ETIMEOUT" || code === "ECONNREFUSED") return `could not check whether ${name} resolves to ${address} (the resolver did not answer)`;
    return `${name} has no ${family === 4 ? "A" : "AAAA"} record pointing to ${address}; mail servers may distrust the record until it has one`;
  } finally {
    resolver.cancel();
  }
}
