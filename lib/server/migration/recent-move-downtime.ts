/**
 * What recent moves cost their servers: the median of the downtimes the last finished
 * moves of running servers recorded (`server.migrate` jobs' `downtimeMs`), per method
 * (`movedBy`: pre-copy or offline), so the "Move to host…" control can say what to
 * expect before the admin stops a customer's server.
 * Admins only, as the control.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** The median downtime of the last moves and how many moves it is of; null when none recorded one. */
export interface RecentMoveDowntime {
  medianMs: number;
  moves: number;
}

/** How a move ran (the job records it; moves made before pre-copy existed were offline). */
export type MoveMethod = "precopy" | "offline";

/** The last `last` moves' downtime, of moves made by `method` (admins only). */
export async function recentMoveDowntime(db: Db, actor: Pick<Actor, "role">, method: MoveMethod = "offline", last = 10): Promise<RecentMoveDowntime | null> {
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only admins move servers between hosts");
  const jobs = await db.job.findMany({
    where: { type: "server.migrate", state: "SUCCEEDED", payload: { contains: '"downtimeMs"' } },
    orderBy: { finishedAt: "desc" },
    take: last * 5,
    select: { payload: true },
  });
  const times = jobs
    .map((j) => JSON.parse(j.payload) as { downtimeMs?: unknown; movedBy?: unknown })
    .filter((p) => (p.movedBy === "precopy" ? "precopy" : "offline") === method)
    .map((p) => p.downtimeMs)
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0)
    .slice(0, last)
    .sort((a, b) => a - b);
  if (times.length === 0) return null;
  const mid = Math.floor(times.length / 2);
  const medianMs = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs, moves: times.length };
}
