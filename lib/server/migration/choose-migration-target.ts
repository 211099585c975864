/**
 * Where a server goes when its host is emptied (issue 16, drain): the other hosts that
 * can take it by the placement rules (online, not in maintenance, a server slot, memory
 * plus swap and CPU, its addresses' pools linked), the one with the most free memory
 * first, each confirmed by the same check a single move makes. When none can, the
 * reasons per host are returned, so the job log says why the server stays.
 */
import type { Db } from "@/lib/db/client";
import { checkMigrationTarget } from "./check-migration-target";
import { listMigrationTargets } from "./migration-targets";

/** The chosen host, or why there is none. */
export type TargetChoice = { hostId: string; hostName: string } | { hostId: null; reason: string };

/** Chooses a target host for server `serverId` (never its own host). */
export async function chooseMigrationTarget(db: Db, serverId: string): Promise<TargetChoice> {
  const candidates = await listMigrationTargets(db, { role: "ADMIN" }, serverId);
  if (!candidates.length) return { hostId: null, reason: "there is no other host" };
  const reasons = candidates.filter((c) => c.refusal).map((c) => `${c.name}: ${c.refusal}`);
  const server = await db.vServer.findUniqueOrThrow({ where: { id: serverId }, include: { addresses: { select: { id: true, address: true, poolId: true, family: true } } } });
  for (const c of candidates.filter((x) => !x.refusal).sort((a, b) => b.freeMemoryMb - a.freeMemoryMb)) {
    try {
      await checkMigrationTarget(db, server, c.id);
      return { hostId: c.id, hostName: c.name };
    } catch (error) {
      reasons.push(`${c.name}: ${(error as Error).message}`);
    }
  }
  return { hostId: null, reason: reasons.join("; ") };
}
