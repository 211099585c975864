/** Input of IP pool management, with the network checks that need more than a regex. */
import { z } from "zod";
import { canonicalAddress, contains, formatNetwork, parseAddress, parseNetwork } from "@/lib/net/cidr";

const addressList = z
  .array(z.string().trim().max(45))
  .max(4096)
  .default([])
  .transform((list, ctx) =>
    list.map((a, i) => {
      const c = canonicalAddress(a);
      if (!c) ctx.addIssue({ code: "custom", path: [i], message: `${a} is not an address` });
      return c ?? a;
    }),
  );

/** Input of createPool. */
export const createPoolInput = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    cidr: z.string().trim().max(64),
    gateway: z.string().trim().max(45).nullish(),
    /** 32/128 for single addresses; for IPv6 also 48..64 (a routed prefix per server). */
    assignPrefix: z.number().int().min(1).max(128).optional(),
    reserved: addressList,
    hostIds: z.array(z.string().max(64)).max(1000).default([]),
  })
  .strict()
  .transform((v, ctx) => {
    const net = parseNetwork(v.cidr);
    if (typeof net === "string") {
      ctx.addIssue({ code: "custom", path: ["cidr"], message: net });
      return z.NEVER;
    }
    const assignPrefix = v.assignPrefix ?? net.bits;
    if (assignPrefix < net.prefix || assignPrefix > net.bits || (net.family === 4 && assignPrefix !== 32) || (net.family === 6 && assignPrefix !== 128 && assignPrefix > 64)) {
      ctx.addIssue({ code: "custom", path: ["assignPrefix"], message: net.family === 4 ? "IPv4 pools hand out single addresses (32)" : `must be 128 or between ${net.prefix} and 64` });
      return z.NEVER;
    }
    let gateway: string | null = null;
    if (v.gateway) {
      const g = parseAddress(v.gateway);
      if (!g || g.family !== net.family || !contains(net, g.value)) {
        ctx.addIssue({ code: "custom", path: ["gateway"], message: "must be an address inside the network" });
        return z.NEVER;
      }
      gateway = canonicalAddress(v.gateway);
    }
    return { ...v, cidr: formatNetwork(net), family: net.family === 4 ? ("IPV4" as const) : ("IPV6" as const), assignPrefix, gateway };
  });

/** Input of updatePool (the network itself cannot change once addresses are out). */
export const updatePoolInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    gateway: z.string().trim().max(45).nullish(),
    reserved: addressList.optional(),
    hostIds: z.array(z.string().max(64)).max(1000).optional(),
  })
  .strict();
