/** Hosts with what is sold on each (sums of their servers' limits). */
import type { Db } from "@/lib/db/client";
import { hostCapabilitiesOf } from "./host-capabilities";
import type { Actor } from "@/lib/server/actor";
import { requireAdmin } from "@/lib/server/require-admin";

function unmanagedOf(report: string): string[] {
  try {
    const v = JSON.parse(report) as { unmanaged?: unknown };
    return Array.isArray(v.unmanaged) ? v.unmanaged.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}

/** Hosts with what is sold on each (sums of their servers' limits). */
export async function listHosts(db: Db, actor: Actor) {
  requireAdmin(actor, false);
  const [hosts, sums] = await Promise.all([
    db.host.findMany({ orderBy: { name: "asc" } }),
    db.vServer.groupBy({ by: ["hostId"], _count: { _all: true }, _sum: { cpuMilli: true, memoryMb: true, diskMb: true } }),
  ]);
  return hosts.map(({ credentialCiphertext: _c, ...h }) => {
    const s = sums.find((x) => x.hostId === h.id);
    return {
      ...h,
      sold: { servers: s?._count._all ?? 0, cpuMilli: s?._sum.cpuMilli ?? 0, memoryMb: s?._sum.memoryMb ?? 0, diskMb: s?._sum.diskMb ?? 0 },
      /** What the host said it can do (null: it has not said yet). */
      can: hostCapabilitiesOf(h.capabilities),
      /** Servers on the host that the panel does not know (from the last reconciliation). */
      unmanaged: unmanagedOf(h.reconcileReport),
    };
  });
}
