/**
 * Where a webhook may point (SECURITY.md: everything a user can make the panel connect
 * to is untrusted): http or https only, and — unless the admin allows private networks
 * (setting `webhooks.allowPrivate`, or WEBHOOK_ALLOW_PRIVATE=1 for a panel whose
 * receivers live on its own network) — never an address of this machine, a private,
 * link-local or otherwise special network. The check runs on the address the connection
 * actually uses (a lookup hook), so a name that resolves differently later cannot slip by.
 */
import dns from "node:dns";
import net from "node:net";
import { AppError } from "@/lib/errors";
import { formatIPv6, parseIPv6 } from "@/lib/net/ip-text";

/** Checks the URL's form; returns it parsed. */
export function checkWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError("BAD_REQUEST", "url: not a URL", "url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("BAD_REQUEST", "url: must start with https:// or http://", "url");
  if (url.username || url.password) throw new AppError("BAD_REQUEST", "url: must not carry credentials", "url");
  return url;
}

const blocked4: [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xe0000000, 3],
];

/** Whether an address is on a network webhooks may not reach by default. */
export function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const n = address.split(".").reduce((a, b) => a * 256 + Number(b), 0);
    return blocked4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
  }
  const bytes = parseIPv6(address);
  if (!bytes) return true;
  const canonical = formatIPv6(bytes);
  if (canonical === "::" || canonical === "::1") return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(canonical);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const first = bytes[0]!;
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast, ::ffff:0:0/96 mapped
  return (first & 0xfe) === 0xfc || (first === 0xfe && (bytes[1]! & 0xc0) === 0x80) || first === 0xff || bytes.slice(0, 12).every((b, i) => (i < 10 ? b === 0 : b === 0xff));
}

/** A `lookup` for http.request that refuses private answers unless allowed. */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: false }, (error, address, family) => {
      if (error) return callback(error, "", 0);
      if (!allowPrivate && isPrivateAddress(address as string)) {
        return callback(Object.assign(new Error(`${hostname} resolves to ${address}, a private or local address`), { code: "EPRIVATE" }), "", 0);
      }
      callback(null, address as string, family);
    });
  };
}
