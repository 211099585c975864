/**
 * The part both restores as a new server share (of a living server's backup, and of a
 * terminated server's): the new server is made for the backup's owner on the backup's
 * host, like any new server (the reseller's quota, the plan's limits, addresses from the
 * pools), and its job restores the snapshot instead of building.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hostName } from "@/lib/protocol/names";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createServer, type Provisioned } from "@/lib/server/vservers/provision/create-server";

/** What the person restoring chooses. */
export const restoreAsNewInput = z
  .object({
    hostname: hostName,
    /** Another plan; absent: the original server's. */
    planId: z.string().min(1).max(64).optional(),
    start: z.boolean().default(true),
  })
  .strict();

/** Where the backup came from: the original server's plan, build method and uid mode. */
export interface BackupOrigin {
  serverId: string | null;
  planId: string | null;
  buildMethod: string | null;
  distribution: string | null;
  userNamespace: boolean;
}

/** Makes the new server and queues its restore; audited on the original server when it still exists. */
export async function newServerFromBackup(
  db: Db,
  actor: Actor,
  backup: { id: string; ownerId: string; hostId: string; snapshotId: string | null },
  origin: BackupOrigin,
  parsed: z.infer<typeof restoreAsNewInput>,
): Promise<Provisioned> {
  const planId = parsed.planId ?? origin.planId;
  if (!planId) throw new AppError("BAD_REQUEST", "choose a plan for the new server", "planId");
  const method = origin.buildMethod === null || origin.buildMethod === "skeleton" ? "busybox" : origin.buildMethod;
  const made = await createServer(
    db,
    actor,
    {
      customerId: backup.ownerId,
      planId,
      hostname: parsed.hostname,
      method,
      distribution: origin.distribution ?? "",
      start: parsed.start,
      // Shared uids are an admin's choice only (SECURITY.md rule 5): a reseller's copy gets its own range.
      userNamespace: actor.role === "ADMIN" ? origin.userNamespace : true,
    },
    { backupId: backup.id, hostId: backup.hostId },
  );
  await audit(db, actor, "backup.restore-as-new", { type: "vserver", id: origin.serverId ?? made.serverId }, { backupId: backup.id, snapshot: backup.snapshotId, newServerId: made.serverId, jobId: made.jobId });
  return made;
}
