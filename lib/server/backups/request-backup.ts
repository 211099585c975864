/**
 * An on-demand backup: the server's owner or its provider asks, within the plan's backup
 * slots (on-demand backups kept at once; scheduled ones are kept by the retention).
 * A full set of slots is refused with the limit named, before anything is queued.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { refuseWhileBusy } from "./server-busy";
import { startBackup } from "./start-backup";

const input = z.object({ note: z.string().trim().max(200).default("") }).strict();

/** How many on-demand backups the server may keep at once, and how many it has. */
export async function backupSlots(db: Db, server: { id: string; plan: { backupSlots: number } | null }): Promise<{ slots: number; used: number }> {
  const used = await db.backup.count({ where: { vserverId: server.id, scheduled: false, state: { in: ["RUNNING", "OK"] } } });
  return { slots: server.plan?.backupSlots ?? 0, used };
}

/** Queues the backup; returns its id and the job's. */
export async function requestBackup(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<{ backupId: string; jobId: string }> {
  const { note } = parseInput(input, raw ?? {});
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot make backups");
  const server = await getServerOrThrow(db, actor, serverId);
  if (server.suspended) throw new AppError("CONFLICT", "the server is suspended");
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  const { slots, used } = await backupSlots(db, server);
  // The admin is not bound by a plan; everyone else is (a reseller sells the plan's slots).
  if (actor.role !== "ADMIN" && used >= slots) {
    throw new AppError(
      "QUOTA_EXCEEDED",
      slots === 0
        ? "this server's plan includes no on-demand backups"
        : `this server's plan allows ${slots} on-demand backup${slots === 1 ? "" : "s"} at once and ${used} ${used === 1 ? "is" : "are"} kept: delete one to make room`,
    );
  }
  await refuseWhileBusy(db, serverId);
  const started = await startBackup(db, { id: server.id, name: server.name, ownerId: server.ownerId, hostId: server.host.id, planId: server.planId, buildMethod: server.buildMethod, distribution: server.distribution }, { scheduled: false, note, createdById: actor.userId });
  await audit(db, actor, "backup.create", { type: "vserver", id: serverId }, { ...started, note });
  return started;
}
