/**
 * Restore jobs (issue 14): a whole server back to a backup (the agent keeps the old root
 * until the restored one has started, as a reinstall does), chosen files into the
 * server while it runs, and a new server made from another's backup.
 */
import { toAgentLimits } from "@/lib/server/vservers/server-limits";
import { recordEvent } from "@/lib/server/events/record-event";
import type { Db } from "@/lib/db/client";
import type { JobContext } from "../job-context";
import { loadJobBackup, refOf } from "./backup-jobs";
import { startOnce } from "./start-operation-once";
import { interfacesOf, loadJobServer, recordAgentState } from "./server-row";
import { retryOnTakenContext } from "./retry-on-taken-context";

/** `backup.restore`: root and configuration back to the snapshot. */
export async function restoreBackupJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const backup = await loadJobBackup(ctx);
  await ctx.log(`restoring ${server.name} to backup ${backup.snapshotId?.slice(0, 8)}; its current system stays until the restored one has started`);
  await ctx.db.vServer.update({ where: { id: server.id }, data: { state: "BUILDING", stateChangedAt: new Date() } });
  await startOnce(ctx, () => ctx.agent().restoreBackup(refOf(backup)));
  const info = await ctx.agent().getVserver({ name: server.name });
  await recordAgentState(ctx.db, server.id, info);
  return { backupId: backup.id, state: info.state };
}

/** Puts the server's state back from its host after a failed restore (its old root runs again). */
export async function undoRestoreBackup(ctx: JobContext): Promise<void> {
  const server = await ctx.db.vServer.findUnique({ where: { id: ctx.job.vserverId ?? "" } });
  if (!server) return;
  const info = await ctx.agent().getVserver({ name: server.name }).catch(() => null);
  if (info) await recordAgentState(ctx.db, server.id, info);
}

/** `backup.restore-files`: chosen paths of the snapshot into the server (running or not). */
export async function restoreBackupFilesJob(ctx: JobContext) {
  const server = await loadJobServer(ctx.db, ctx.job.vserverId);
  const backup = await loadJobBackup(ctx);
  const paths = Array.isArray(ctx.payload.paths) ? (ctx.payload.paths as string[]) : [];
  const into = typeof ctx.payload.into === "string" ? ctx.payload.into : undefined;
  await ctx.log(`restoring ${paths.join(", ")} into ${server.name} from backup ${backup.snapshotId?.slice(0, 8)}${into ? ` into ${into}` : " where they were"}`);
  await startOnce(ctx, () => ctx.agent().restoreBackupFiles({ ...refOf(backup), paths, ...(into ? { into } : {}) }));
  return { backupId: backup.id, paths };
}

/** `backup.restore-as-new`: the new server's row exists (made like a new server); its root comes from the snapshot. */
export async function restoreAsNewJob(ctx: JobContext) {
  const backup = await loadJobBackup(ctx);
  return retryOnTakenContext(ctx, async (server) => {
    await ctx.log(`making ${server.name} from backup ${backup.snapshotId?.slice(0, 8)} of ${backup.serverName}`);
    await startOnce(ctx, async () => {
      const started = await ctx.agent().restoreBackupAsNew({
        ...refOf(backup),
        create: {
          name: server.name,
          context: server.contextId,
          hostname: server.hostname,
          domainname: "",
          limits: toAgentLimits(server),
          interfaces: interfacesOf(server.addresses),
          nameservers: [],
          startOnBoot: server.startOnBoot,
          start: ctx.payload.start === true,
          userNamespace: server.userNamespace,
        },
      });
      return { operationId: started.operationId };
    });
    const info = await ctx.agent().getVserver({ name: server.name });
    await ctx.db.$transaction(async (tx) => {
      await recordAgentState(tx as unknown as Db, server.id, info);
      await recordEvent(tx, { type: "server.created", vserverId: server.id, data: { name: server.name, fromBackup: backup.id } });
    });
    return { name: server.name, state: info.state };
  });
}
