/**
 * The shapes of names and addresses that cross the wire, checked the same way on both
 * sides. Names end up in file names, cgroup names, interface names and nft tables, so
 * they are deliberately narrow.
 */
import { isIP } from "node:net";
import { z } from "zod";

export { vserverName } from "./vserver-name";

/** util-vserver's static context ids: 2..49151 (0 is the host, 1 the spectator context). */
export const contextId = z.number().int().min(2, "context ids start at 2").max(49151, "context ids end at 49151");

const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A host name (RFC 1123), as the guest's nodename; 1–253 characters. */
export const hostName = z
  .string()
  .max(253, "at most 253 characters")
  .refine((s) => s.length > 0 && s.split(".").every((l) => label.test(l)), "must be a host name like web1 or web1.example.com");

/** A domain name for the guest's domainname (may be empty). */
export const domainName = z.string().max(253).refine((s) => s === "" || s.split(".").every((l) => label.test(l)), "must be a domain name");

/** An IPv4 or IPv6 address in text form. */
export const ipAddress = z.string().max(45).refine((s) => isIP(s) !== 0, "must be an IPv4 or IPv6 address");

/** An address with its prefix length, as assigned to a vserver. */
export const interfaceAddress = z
  .object({ address: ipAddress, prefix: z.number().int().min(0).max(128) })
  .strict()
  .refine((a) => a.prefix <= (isIP(a.address) === 4 ? 32 : 128), { message: "prefix too long for this address family", path: ["prefix"] });

/** Parsed form of {@link interfaceAddress}. */
export type InterfaceAddress = z.infer<typeof interfaceAddress>;

/** A capability name as util-vserver's bcapabilities file writes it (CAP_NET_ADMIN). */
export const capabilityName = z.string().regex(/^CAP_[A-Z_]{2,30}$/, "must be a capability name like CAP_NET_ADMIN");
