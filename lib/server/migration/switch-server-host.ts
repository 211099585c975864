/**
 * The switch of a migration: the panel's row moves from the source host to the target
 * (host and the context the target chose) in one transaction with its event, and only
 * if it still points at the source (a second switch changes nothing). Before it, the
 * source is the server's home; after it, the target is.
 */
import type { Db } from "@/lib/db/client";
import { recordEvent } from "@/lib/server/events/record-event";
import { mergeJobPayload } from "@/lib/server/jobs/merge-job-payload";

/**
 * Points the row of `vserverId` at the target; false when it no longer pointed at the
 * source. The move's job keeps the source's context (`sourceContextId` in its payload),
 * so a source copy that cannot be deleted now is known later for what it is
 * (remove-left-copies.ts).
 */
export async function switchServerHost(db: Db, move: { vserverId: string; sourceHostId: string; targetHostId: string; contextId: number; sourceContextId: number; jobId: string; releaseAddressIds?: string[] }): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const done = await tx.vServer.updateMany({
      where: { id: move.vserverId, hostId: move.sourceHostId },
      data: { hostId: move.targetHostId, contextId: move.contextId, state: "STOPPED", stateChangedAt: new Date(), observedAt: new Date(), driftNote: null, lastError: null },
    });
    if (done.count !== 1) return false;
    // Addresses replaced by new ones on the target go back to their pools with the switch.
    if (move.releaseAddressIds?.length) await tx.ipAddress.deleteMany({ where: { id: { in: move.releaseAddressIds }, vserverId: move.vserverId } });
    await mergeJobPayload(tx, move.jobId, { sourceContextId: move.sourceContextId });
    await recordEvent(tx, { type: "server.migrated", vserverId: move.vserverId, hostId: move.targetHostId, data: { from: move.sourceHostId, to: move.targetHostId, jobId: move.jobId } });
    return true;
  });
}
