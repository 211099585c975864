/**
 * Whether a server may get one more address of each family now, and if not, why: the
 * plan's maximum, or no pool of that family on its host. Read for the server page, so
 * the reason is shown instead of a button that would fail.
 */
import type { Db } from "@/lib/db/client";
import type { ServerDetail } from "./get-server-or-throw";

/** One family's answer. */
export type AddressChoice = { ok: true; left: number } | { ok: false; why: string };

/** The answer for IPv4 and IPv6. */
export async function addressChoices(db: Db, server: Pick<ServerDetail, "addresses" | "plan" | "host">): Promise<Record<"IPV4" | "IPV6", AddressChoice>> {
  const pools = await db.ipPool.groupBy({ by: ["family"], where: { hosts: { some: { hostId: server.host.id } } }, _count: { _all: true } });
  const out = {} as Record<"IPV4" | "IPV6", AddressChoice>;
  for (const family of ["IPV4", "IPV6"] as const) {
    const label = family === "IPV4" ? "IPv4" : "IPv6";
    const have = server.addresses.filter((a) => a.family === family).length;
    const max = family === "IPV4" ? server.plan?.ipv4Max : server.plan?.ipv6Max;
    if (!pools.some((p) => p.family === family)) out[family] = { ok: false, why: `host ${server.host.name} has no ${label} pool` };
    else if (max === undefined) out[family] = { ok: false, why: "the server has no plan" };
    else if (have >= max) out[family] = { ok: false, why: `the plan allows ${max}` };
    else out[family] = { ok: true, left: max - have };
  }
  return out;
}
