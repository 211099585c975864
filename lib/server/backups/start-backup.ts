/**
 * Queues one backup of a server: its row (RUNNING, so it counts against the slots at
 * once, also against a second click) and the `backup.create` job that makes it.
 * Used by the on-demand request and by the schedule.
 */
import type { Db } from "@/lib/db/client";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { createJob } from "@/lib/server/jobs/create-job";
import { defaultTargetFor } from "./default-local-target";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** What the backup is for. */
export interface BackupRequest {
  scheduled: boolean;
  note: string;
  createdById: string | null;
}

/** What the backup row keeps of its server (the plan, method and distribution outlive a termination). */
export type BackedUpServer = { id: string; name: string; ownerId: string; hostId: string; planId: string | null; buildMethod: string; distribution: string };

/** Creates the backup row and its job; returns both ids. */
export async function startBackup(db: Db, server: BackedUpServer, request: BackupRequest): Promise<{ backupId: string; jobId: string }> {
  const host = await db.host.findUniqueOrThrow({ where: { id: server.hostId } });
  requireHostOnline(host);
  const target = await defaultTargetFor(db, server.hostId, () => agentForHost(host, 60_000));
  return db.$transaction(async (tx) => {
    const backup = await tx.backup.create({
      data: {
        vserverId: server.id,
        serverKey: server.id,
        serverName: server.name,
        ownerId: server.ownerId,
        planId: server.planId,
        buildMethod: server.buildMethod,
        distribution: server.distribution,
        hostId: server.hostId,
        targetId: target.id, scheduled: request.scheduled, note: request.note },
    });
    const jobId = await createJob(tx, { type: "backup.create", vserverId: server.id, hostId: server.hostId, createdById: request.createdById, payload: { backupId: backup.id } });
    await tx.backup.update({ where: { id: backup.id }, data: { jobId } });
    return { backupId: backup.id, jobId };
  });
}
