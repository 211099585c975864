/** Hosts with what is sold on each (sums of their servers' limits). */
import type { Db } from "@/lib/db/client";
import { hostCapabilitiesOf } from "./host-capabilities";
import type { Actor } from "@/lib/server/actor";
import { requireAdmin } from "@/lib/server/require-admin";
import { canBeMoveSource } from "@/lib/server/migration/move-source";

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
  const [hosts, sums, evacuations] = await Promise.all([
    db.host.findMany({ orderBy: { name: "asc" } }),
    db.vServer.groupBy({ by: ["hostId"], _count: { _all: true }, _sum: { cpuMilli: true, memoryMb: true, diskMb: true } }),
    db.job.findMany({ where: { type: "host.evacuate", state: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, hostId: true, progress: true } }),
  ]);
  const moving = evacuations.length
    ? await db.job.groupBy({ by: ["hostId"], where: { type: "server.migrate", state: { in: ["QUEUED", "RUNNING"] }, hostId: { in: evacuations.map((e) => e.hostId ?? "") } }, _count: { _all: true } })
    : [];
  return hosts.map(({ credentialCiphertext: _c, ...h }) => {
    const s = sums.find((x) => x.hostId === h.id);
    const e = evacuations.find((x) => x.hostId === h.id);
    return {
      ...h,
      sold: { servers: s?._count._all ?? 0, cpuMilli: s?._sum.cpuMilli ?? 0, memoryMb: s?._sum.memoryMb ?? 0, diskMb: s?._sum.diskMb ?? 0 },
      /** What the host said it can do (null: it has not said yet). */
      can: hostCapabilitiesOf(h.capabilities),
      /** Servers on the host that the panel does not know (from the last reconciliation). */
      unmanaged: unmanagedOf(h.reconcileReport),
      /** The evacuation under way (its servers moving to other hosts), with the moves running now. */
      /** Whether its servers can be moved away (other hosts pull them over TLS). */
      movable: canBeMoveSource(h),
      evacuation: e ? { jobId: e.id, progress: e.progress, moving: moving.find((m) => m.hostId === h.id)?._count._all ?? 0 } : null,
    };
  });
}
