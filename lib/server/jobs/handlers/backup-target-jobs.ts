/**
 * `backup.check`: `restic check` of one target on one host (the schedule runs it per
 * target); its outcome is stored on the target for the admin's page, and a failed check
 * is an event for the people who run hosts.
 */
import { recordEvent } from "@/lib/server/events/record-event";
import { recordTargetStatus } from "@/lib/server/backups/target-status";
import type { JobContext } from "../job-context";
import { startOnce } from "./start-operation-once";

/** Runs the check and records what the host then says about the target. */
export async function checkBackupTargetJob(ctx: JobContext) {
  const target = await ctx.db.backupTarget.findUnique({ where: { id: String(ctx.payload.targetId ?? "") } });
  if (!target) throw new Error("the target no longer exists in the panel");
  const hostId = ctx.job.hostId!;
  let failure: string | null = null;
  try {
    await startOnce(ctx, () => ctx.agent().checkBackupTarget({ id: target.key }));
  } catch (error) {
    failure = (error as Error).message;
  }
  const { targets } = await ctx.agent().listBackupTargets({});
  const info = targets.find((t) => t.id === target.key) ?? null;
  await recordTargetStatus(ctx.db, target.id, hostId, info, failure);
  const problem = failure ?? (info?.lastCheck && !info.lastCheck.ok ? info.lastCheck.message : null);
  if (problem) {
    await recordEvent(ctx.db, { type: "backup.check_failed", hostId, data: { target: target.name, error: problem } });
    throw new Error(`the check of ${target.name} failed: ${problem}`);
  }
  return { ok: true };
}
