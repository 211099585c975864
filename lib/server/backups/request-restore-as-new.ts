/**
 * A new server from a backup of another (issue 14): an admin or the owner's reseller
 * gives it a hostname (its name follows from it) and a plan (the original's or another
 * the customer may have); it is made for the same customer on the backup's host, under
 * the reseller's quota like any new server, and its job restores the snapshot instead of
 * building.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { hostName } from "@/lib/protocol/names";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { createServer, type Provisioned } from "@/lib/server/vservers/provision/create-server";
import { getBackupOrThrow, snapshotRefOf } from "./get-backup-or-throw";

const input = z
  .object({
    hostname: hostName,
    /** Another plan; absent: the original server's. */
    planId: z.string().min(1).max(64).optional(),
    start: z.boolean().default(true),
  })
  .strict();

/** Queues the new server's restore; returns it like provisioning does. */
export async function requestRestoreAsNew(db: Db, actor: Actor, serverId: string, backupId: string, raw: unknown): Promise<Provisioned> {
  const parsed = parseInput(input, raw);
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "ask your provider for a new server from a backup");
  const loaded = await getBackupOrThrow(db, actor, serverId, backupId);
  snapshotRefOf(loaded);
  const { server, backup } = loaded;
  const planId = parsed.planId ?? server.planId;
  if (!planId) throw new AppError("BAD_REQUEST", "choose a plan for the new server", "planId");
  const made = await createServer(
    db,
    actor,
    {
      customerId: backup.ownerId,
      planId,
      hostname: parsed.hostname,
      method: server.buildMethod === "skeleton" ? "busybox" : server.buildMethod,
      distribution: server.distribution,
      start: parsed.start,
      // Shared uids are an admin's choice only (SECURITY.md rule 5): a reseller's copy gets its own range.
      userNamespace: actor.role === "ADMIN" ? server.userNamespace : true,
    },
    { backupId: backup.id, hostId: backup.hostId },
  );
  await audit(db, actor, "backup.restore-as-new", { type: "vserver", id: serverId }, { backupId: backup.id, snapshot: backup.snapshotId, newServerId: made.serverId, jobId: made.jobId });
  return made;
}
