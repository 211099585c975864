/** REST operations on reverse DNS: a server's PTR records (read and set) and an admin's linking of a pool. */
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { linkPoolReverseZones } from "@/lib/server/dns/link-pool-reverse-zones";
import { getServerReverseDns } from "@/lib/server/dns/list-reverse-dns";
import { setReverseDns } from "@/lib/server/dns/set-reverse-dns";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

const record = z.object({ address: z.string(), name: z.string() });
const assignment = z.object({ addressId: z.string(), assigned: z.string(), family: z.enum(["IPV4", "IPV6"]), zoneReady: z.boolean(), records: z.array(record) });

/** The operations. */
export const reverseDnsApiOperations = [
  defineOperation({
    method: "GET",
    path: "/servers/{id}/reverse-dns",
    operationId: "getServerReverseDns",
    summary:
      "The PTR records of the server's addresses, read from the panel's PowerDNS: per assignment (an address, or an IPv6 prefix with any number of records inside it) whether its pool's reverse zone exists, and the records. `enabled` is false while the admin has not set up reverse DNS; PowerDNS unreachable answers 502.",
    tag: "servers",
    params: idParams,
    status: 200,
    response: z.object({ enabled: z.boolean(), addresses: z.array(assignment) }),
    handler: async ({ db, actor, params }) => {
      const found = await getServerReverseDns(db, actor, params.id);
      if (found === null) return { enabled: false, addresses: [] };
      if ("error" in found) throw new AppError("AGENT_FAILED", found.error, "dns");
      return { enabled: true, addresses: found.addresses };
    },
  }),
  defineOperation({
    method: "POST",
    path: "/servers/{id}/reverse-dns",
    operationId: "setServerReverseDns",
    summary:
      "Sets the PTR record of one of the server's addresses (IPv4, or IPv6 written as usual: the panel computes the ip6.arpa name; inside an assigned IPv6 prefix any address) to a host name, or removes it with `name: null`. A name that is not a host name (RFC 1123, labels of at most 63 characters) or an address not of this server answers 400 naming the field and changes nothing. `warning` says when the name does not resolve back to the address (forward confirmation); it never blocks the change.",
    tag: "servers",
    params: idParams,
    body: z.object({ address: z.string(), name: z.string().nullable() }),
    status: 200,
    response: z.object({ address: z.string(), ptr: z.string(), name: z.string().nullable(), warning: z.string().nullable() }),
    handler: ({ db, actor, params, body }) => setReverseDns(db, actor, params.id, body),
  }),
  defineOperation({
    method: "POST",
    path: "/ip-pools/{id}/reverse-zones",
    operationId: "linkPoolReverseZones",
    summary:
      "Admins: creates in PowerDNS the reverse zones covering the pool (in-addr.arpa cut at the octet, ip6.arpa at the nibble boundary; an IPv4 pool smaller than /24 gets its enclosing /24 zone). Zones that exist are kept.",
    tag: "ip-pools",
    params: idParams,
    status: 200,
    response: z.object({ zones: z.array(z.object({ name: z.string(), created: z.boolean() })) }),
    handler: ({ db, actor, params }) => linkPoolReverseZones(db, actor, params.id),
  }),
];
