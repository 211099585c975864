/**
 * Every URL the panel can be reached at, for `npm start` to print: a server listening on
 * all IPv4 addresses (0.0.0.0, the default) answers at localhost, 127.0.0.1 and each
 * address of the machine's interfaces; on "::" also at the IPv6 ones; on one address only
 * there. A fresh server is usually first opened from another computer, at its address.
 */
import os from "node:os";

/** One interface address as os.networkInterfaces() gives it. */
type InterfaceAddress = Pick<os.NetworkInterfaceInfo, "address" | "family" | "internal">;

function hostOf(address: string, family: string): string {
  return family === "IPv6" ? `[${address}]` : address;
}

/**
 * The URLs for a server bound to `bound` (its `address()`.address) on `port`. Link-local
 * IPv6 addresses are left out: a browser cannot open them without a zone.
 */
export function reachableUrls(bound: string, port: number, interfaces: NodeJS.Dict<InterfaceAddress[]> = os.networkInterfaces()): string[] {
  const all = bound === "0.0.0.0" || bound === "::";
  const families = bound === "::" ? ["IPv4", "IPv6"] : ["IPv4"];
  const hosts: string[] = [];
  if (!all) {
    const loopback = bound === "127.0.0.1" || bound === "::1";
    if (loopback) hosts.push("localhost");
    hosts.push(hostOf(bound, bound.includes(":") ? "IPv6" : "IPv4"));
  } else {
    hosts.push("localhost", "127.0.0.1");
    for (const list of Object.values(interfaces)) {
      for (const a of list ?? []) {
        if (a.internal || !families.includes(a.family) || a.address.toLowerCase().startsWith("fe80:")) continue;
        hosts.push(hostOf(a.address, a.family));
      }
    }
  }
  return [...new Set(hosts)].map((h) => `http://${h}:${port}`);
}
