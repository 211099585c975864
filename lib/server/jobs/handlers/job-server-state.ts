/** What every power and suspension job writes back: the transition, the host's state and the event. */
import type { Db } from "@/lib/db/client";
import { recordEvent, type NewEvent } from "@/lib/server/events/record-event";
import type { JobContext } from "../job-context";
import { recordAgentState } from "./server-row";

/** Writes what the host reports and the event saying so, in one transaction. */
export async function recordStateAndEvent(ctx: JobContext, vserverId: string, info: Parameters<typeof recordAgentState>[2], event: NewEvent): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await recordAgentState(tx as unknown as Db, vserverId, info);
    await recordEvent(tx, { vserverId, ...event });
  });
}

/** Marks the job's server as in transition before the host is asked. */
export async function setState(ctx: JobContext, state: "STARTING" | "STOPPING" | "DELETING"): Promise<void> {
  await ctx.db.vServer.update({ where: { id: ctx.job.vserverId! }, data: { state, stateChangedAt: new Date() } });
}

/** Says what the server is after the job, as its host reports it. */
export function hostStateLine(info: { state: string }, name: string, extra = ""): string {
  return `${name} is ${info.state}${extra} (as its host reports now)`;
}
