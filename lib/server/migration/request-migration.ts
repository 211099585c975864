/**
 * `POST /servers/{id}/migrate`: an admin moves a server to another host: by pre-copy
 * (copied while it runs, stopped for a last round) or offline (stop, move, start). Checked at once (hosts online, room, address pools), then queued as the
 * `server.migrate` job (lib/server/jobs/handlers/migrate-server-job.ts) and audited.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { checkMigrationTarget } from "./check-migration-target";

/** The request body. */
export const migrateServerInput = z
  .object({
    targetHostId: z.string().min(1).max(64),
    /** Addresses whose pool is not linked to the target get new ones from its pools (they change; the old ones return to their pool). */
    newAddresses: z.boolean().default(false),
    /** `precopy` (default): a running server is copied while it runs and stopped only for a last round of what changed; `offline`: stopped for the whole copy. A stopped server moves offline either way. */
    method: z.enum(["precopy", "offline"]).default("precopy"),
  })
  .strict();

/** Queues the move; returns the job id. */
export async function requestMigration(db: Db, actor: Actor, serverId: string, input: z.input<typeof migrateServerInput>): Promise<{ jobId: string }> {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins move servers between hosts");
  const server = await getServerOrThrow(db, actor, serverId);
  if (["BUILDING", "DELETING", "PENDING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  const pending = await db.job.count({ where: { vserverId: serverId, state: { in: ["QUEUED", "RUNNING"] } } });
  if (pending) throw new AppError("CONFLICT", "another job of this server is under way; try again when it is done");
  const full = await db.vServer.findUniqueOrThrow({ where: { id: serverId }, include: { addresses: true } });
  const { source, target, stranded } = await checkMigrationTarget(db, full, input.targetHostId, { newAddresses: input.newAddresses === true });
  const jobId = await createJob(db, { type: "server.migrate", vserverId: serverId, hostId: source.id, createdById: actor.userId, payload: { targetHostId: target.id, method: input.method ?? "precopy", replaceAddressIds: stranded.map((a) => a.id) } });
  await audit(db, actor, "vserver.migrate", { type: "vserver", id: serverId }, { name: server.name, from: source.name, to: target.name, method: input.method ?? "precopy", jobId, ...(stranded.length ? { addressesReplaced: stranded.map((a) => a.address) } : {}) });
  return { jobId };
}
