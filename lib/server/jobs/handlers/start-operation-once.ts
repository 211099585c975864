/**
 * Starts a slow agent operation for a job at most once: a job resumed after a panel
 * restart follows the operation it already started instead of starting a second one.
 */
import type { JobContext } from "../job-context";
import { followOperation } from "./follow-operation";

/** Starts the agent's operation unless a resumed job already did, and follows it. */
export async function startOnce(ctx: JobContext, start: () => Promise<{ operationId: string }>): Promise<void> {
  let operationId = ctx.job.agentOperationId;
  if (!operationId) {
    operationId = (await start()).operationId;
    await ctx.setAgentOperation(operationId);
  }
  await followOperation(ctx, operationId);
}
