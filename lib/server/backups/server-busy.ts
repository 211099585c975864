/** Whether a server has slow work going on (one job at a time per server). */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** Throws CONFLICT while another job of the server is queued or running. */
export async function refuseWhileBusy(db: Db, serverId: string): Promise<void> {
  const pending = await db.job.count({ where: { vserverId: serverId, state: { in: ["QUEUED", "RUNNING"] } } });
  if (pending > 0) throw new AppError("CONFLICT", "another job of this server is still running; try again when it has finished");
}
