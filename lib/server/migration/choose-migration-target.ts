/**
 * Where a server goes when its host is emptied (issue 16, drain): the other hosts that
 * can take it by the placement rules (online, not in maintenance, a server slot, memory
 * plus swap and CPU, its addresses' pools linked — or, when the admin allowed new
 * addresses, pools of their families there), hosts that keep its addresses first, then
 * the one with the most free memory, each confirmed by the same check a single move makes. When none can, the
 * reasons per host are returned, so the job log says why the server stays.
 */
import type { Db } from "@/lib/db/client";
import { checkMigrationTarget } from "./check-migration-target";
import { listMigrationTargets } from "./migration-targets";

/** The chosen host (with the addresses that get new ones there), or why there is none. */
export type TargetChoice = { hostId: string; hostName: string; replaceAddressIds: string[] } | { hostId: null; reason: string };

/**
 * Chooses a target host for server `serverId` (never its own host). With `newAddresses`,
 * a host where its addresses would change may be chosen — after every host where they
 * would not — and the addresses to replace come with the choice.
 */
export async function chooseMigrationTarget(db: Db, serverId: string, options: { newAddresses?: boolean } = {}): Promise<TargetChoice> {
  const candidates = await listMigrationTargets(db, { role: "ADMIN" }, serverId);
  if (!candidates.length) return { hostId: null, reason: "there is no other host" };
  const reasons = candidates.filter((c) => c.refusal).map((c) => `${c.name}: ${c.refusal}`);
  const server = await db.vServer.findUniqueOrThrow({ where: { id: serverId }, include: { addresses: { select: { id: true, address: true, poolId: true, family: true } } } });
  // Hosts that keep its addresses first, then by free memory.
  const order = candidates.filter((x) => !x.refusal).sort((a, b) => a.changingAddresses.length - b.changingAddresses.length || b.freeMemoryMb - a.freeMemoryMb);
  for (const c of order) {
    try {
      const { stranded } = await checkMigrationTarget(db, server, c.id, { newAddresses: options.newAddresses === true });
      return { hostId: c.id, hostName: c.name, replaceAddressIds: stranded.map((a) => a.id) };
    } catch (error) {
      reasons.push(`${c.name}: ${(error as Error).message}`);
    }
  }
  return { hostId: null, reason: reasons.join("; ") };
}
