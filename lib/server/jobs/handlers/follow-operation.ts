/** Follows a slow agent operation, copying its log lines and progress into the job. */
import type { JobContext } from "../job-context";

const pollMs = 400;
const maxMs = 2 * 60 * 60 * 1000;

/** Resolves when the operation succeeded; throws with the agent's reason when it failed. */
export async function followOperation(ctx: JobContext, operationId: string): Promise<void> {
  const agent = ctx.agent();
  const deadline = Date.now() + maxMs;
  let next = 0;
  let lastProgress = -1;
  for (;;) {
    const op = await agent.getOperation({ id: operationId, sinceLine: next });
    if (op.lines.length) await ctx.log(...op.lines.map((l) => l.text));
    next = op.nextLine;
    if (op.progress !== lastProgress) {
      lastProgress = op.progress;
      await ctx.progress(Math.min(99, Math.round(op.progress)));
    }
    if (op.state === "succeeded") return;
    if (op.state === "failed") throw new Error(op.error ? `${op.error.message}` : "the operation failed on the host");
    if (Date.now() > deadline) throw new Error("the operation took longer than two hours");
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
