/** Runs the backup schedule (lib/server/backups/run-backup-schedule) every minute, in one panel instance at a time. */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { runBackupSchedule } from "@/lib/server/backups/run-backup-schedule";
import { takeScheduleLease } from "@/lib/server/backups/schedule-lease";

/** Starts the scheduler; returns a stop function. */
export function startBackupScheduler(db: Db, everyMs = 60_000): () => void {
  const runner = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      if (!(await takeScheduleLease(db, runner, everyMs * 3))) return;
      const pass = await runBackupSchedule(db);
      for (const e of pass.errors) console.error("backup schedule:", e);
    } catch (error) {
      console.error("backup schedule failed", error);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return () => clearInterval(timer);
}
