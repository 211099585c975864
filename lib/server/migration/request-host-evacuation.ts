/**
 * Emptying a host for maintenance (issue 16, drain): an admin puts the host into
 * maintenance (it takes no new servers) and queues the `host.evacuate` job, which moves
 * its servers to the other hosts by the placement rules, a few at a time
 * (lib/server/jobs/handlers/evacuate-host-job.ts). Ending maintenance stops the job
 * after the moves under way. Audited as `host.evacuate`.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";
import { createJob } from "@/lib/server/jobs/create-job";
import { parseInput } from "@/lib/server/parse-input";
import { canBeMoveSource } from "./move-source";

/** How many servers move at once, at most (each move stops one server and copies its root). */
export const maxParallelMoves = 4;

/**
 * The request body: how many servers move at once (default 2), and whether a server whose
 * addresses' pools no other host has may get new addresses from its target's pools (its
 * old ones return to their pool; DNS pointing at them must change). Without it such a
 * server stays, named in the job.
 */
export const evacuateHostInput = z.object({ parallel: z.number().int().min(1).max(maxParallelMoves).optional(), newAddresses: z.boolean().optional() }).strict();

/** Puts the host into maintenance and queues the moves; returns the job id. */
export async function requestHostEvacuation(db: Db, actor: Actor, hostId: string, raw: unknown = {}): Promise<{ jobId: string }> {
  if (actor.role !== "ADMIN") throw notFound();
  const input = parseInput(evacuateHostInput, raw);
  const host = await db.host.findUnique({ where: { id: hostId } });
  if (!host) throw notFound("Host not found");
  requireHostOnline(host);
  if (!canBeMoveSource(host)) {
    throw new AppError("CONFLICT", `${host.name}'s agent is reached over ${host.endpoint.split(":")[0]}, not https with its certificate: the other hosts pull servers from it, so it must listen on TLS (AGENT_LISTEN) to be emptied`);
  }
  const under = await db.job.count({ where: { hostId, type: "host.evacuate", state: { in: ["QUEUED", "RUNNING"] } } });
  if (under) throw new AppError("CONFLICT", `the servers of ${host.name} are already being moved away`);
  const servers = await db.vServer.count({ where: { hostId } });
  if (!servers) throw new AppError("CONFLICT", `${host.name} has no servers to move`);
  const others = await db.host.count({ where: { id: { not: hostId }, draining: false, status: { not: "OFFLINE" } } });
  if (!others) throw new AppError("CONFLICT", "no other host is online and out of maintenance to take the servers");
  const jobId = await db.$transaction(async (tx) => {
    await tx.host.update({ where: { id: hostId }, data: { draining: true } });
    return createJob(tx, { type: "host.evacuate", hostId, createdById: actor.userId, payload: { parallel: input.parallel ?? 2, servers, newAddresses: input.newAddresses === true } });
  });
  await audit(db, actor, "host.evacuate", { type: "host", id: hostId }, { name: host.name, servers, parallel: input.parallel ?? 2, newAddresses: input.newAddresses === true, jobId });
  return { jobId };
}
