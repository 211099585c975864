/**
 * Builds a server again whose build failed (its row stayed, "ERROR", with its addresses):
 * a new `server.create` job with the failed one's method and options. A root password
 * given at the first attempt is not kept after a job ends, so the retry builds without
 * it (SSH keys are kept); the person sets one on the server's page afterwards.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { getServerOrThrow } from "./get-server-or-throw";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** Queues the retry; returns the job and whether a root password must be set again. */
export async function retryBuild(db: Db, actor: Actor, serverId: string): Promise<{ jobId: string; passwordDropped: boolean }> {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "ask your provider to build the server again");
  const server = await getServerOrThrow(db, actor, serverId);
  const failed = await db.job.findFirst({ where: { vserverId: serverId, type: "server.create" }, orderBy: { createdAt: "desc" } });
  if (server.state !== "ERROR" || !failed || failed.state !== "FAILED") throw new AppError("CONFLICT", "only a server whose build failed can be built again");
  const old = JSON.parse(failed.payload) as Record<string, unknown>;
  const passwordDropped = old.hadRootPassword === true || typeof old.sealedRootPassword === "string";
  const payload = { method: old.method, methodArgs: old.methodArgs, distribution: old.distribution, start: old.start, sshKeys: old.sshKeys };
  requireHostOnline(server.host);
  const jobId = await db.$transaction(async (tx) => {
    await tx.vServer.update({ where: { id: serverId }, data: { state: "BUILDING", stateChangedAt: new Date(), lastError: null } });
    return createJob(tx, { type: "server.create", vserverId: serverId, hostId: server.host.id, createdById: actor.userId, payload });
  });
  await audit(db, actor, "vserver.retry-build", { type: "vserver", id: serverId }, { jobId, failedJobId: failed.id });
  return { jobId, passwordDropped };
}
