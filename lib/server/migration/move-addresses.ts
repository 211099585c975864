/**
 * New addresses for a move whose addresses' pools are not linked to the target (the
 * admin chose `newAddresses`): the job takes one address of the same family from the
 * target's pools for each address that must change, assigned to the server before the
 * copy (the target builds it with them), remembered on the job so a resumed job reuses
 * them; before the switch a failure gives them back, and the switch gives the old ones
 * back (switch-server-host.ts).
 */
import type { Db } from "@/lib/db/client";
import { allocateAddresses, releaseAddresses } from "@/lib/server/ip-pools/allocate-addresses";
import { mergeJobPayload } from "@/lib/server/jobs/merge-job-payload";

/** The job fields these steps read and write. */
interface MoveJob {
  id: string;
  payload: Record<string, unknown>;
}

const idsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The ids of the addresses that change in this move (chosen when it was requested). */
export function replacedAddressIds(job: MoveJob): string[] {
  return idsOf(job.payload.replaceAddressIds);
}

/** Takes (or, on a resumed job, finds again) the new addresses on the target; returns their rows with pools. */
export async function takeNewAddresses(db: Db, job: MoveJob, server: { id: string; addresses: { id: string; family: "IPV4" | "IPV6" }[] }, targetHostId: string) {
  const replaced = server.addresses.filter((a) => replacedAddressIds(job).includes(a.id));
  const stored = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { payload: true } });
  const payload = JSON.parse(stored.payload) as Record<string, unknown>;
  let ids = idsOf(payload.newAddressIds);
  if (!ids.length && replaced.length) {
    const taken = [];
    try {
      for (const family of ["IPV4", "IPV6"] as const) {
        const count = replaced.filter((a) => a.family === family).length;
        taken.push(...(await allocateAddresses(db, targetHostId, family, count, server.id)));
      }
    } catch (error) {
      await releaseAddresses(db, taken.map((a) => a.id));
      throw error;
    }
    ids = taken.map((a) => a.id);
    await mergeJobPayload(db, job.id, { newAddressIds: ids });
  }
  return db.ipAddress.findMany({ where: { id: { in: ids }, vserverId: server.id }, include: { pool: true } });
}

/** Before the switch: gives the new addresses back to their pools (a failed or cancelled move). */
export async function returnNewAddresses(db: Db, job: MoveJob, vserverId: string): Promise<void> {
  const stored = await db.job.findUniqueOrThrow({ where: { id: job.id }, select: { payload: true } });
  const ids = idsOf((JSON.parse(stored.payload) as Record<string, unknown>).newAddressIds);
  if (ids.length) await db.ipAddress.deleteMany({ where: { id: { in: ids }, vserverId } });
}
