/**
 * A new server from a backup of another (issue 14): an admin or the owner's reseller
 * gives it a hostname (its name follows from it) and a plan (the original's or another
 * the customer may have); see new-server-from-backup.ts for how it is made.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import type { Provisioned } from "@/lib/server/vservers/provision/create-server";
import { getBackupOrThrow, snapshotRefOf } from "./get-backup-or-throw";
import { newServerFromBackup, restoreAsNewInput } from "./new-server-from-backup";

/** Queues the new server's restore; returns it like provisioning does. */
export async function requestRestoreAsNew(db: Db, actor: Actor, serverId: string, backupId: string, raw: unknown): Promise<Provisioned> {
  const parsed = parseInput(restoreAsNewInput, raw);
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "ask your provider for a new server from a backup");
  const loaded = await getBackupOrThrow(db, actor, serverId, backupId);
  snapshotRefOf(loaded);
  const { server, backup } = loaded;
  return newServerFromBackup(db, actor, backup, { serverId: server.id, planId: server.planId, buildMethod: server.buildMethod, distribution: server.distribution, userNamespace: server.userNamespace }, parsed);
}
