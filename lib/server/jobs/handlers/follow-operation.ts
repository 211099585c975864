/** Follows a slow agent operation, copying its log lines and progress into the job. */
import type { OperationInfo } from "@/lib/protocol/vservers";
import type { JobContext } from "../job-context";

const pollMs = 400;
const maxMs = 2 * 60 * 60 * 1000;

/** An operation the host ran and that failed: its reason as the agent gave it. */
export class OperationFailed extends Error {
  override readonly name = "OperationFailed";
  constructor(
    message: string,
    /** The agent's error code (CONFLICT, KERNEL, …), null when it gave none. */
    readonly code: string | null,
    /** The input field that was wrong, when the agent named one. */
    readonly field: string | null,
  ) {
    super(message);
  }
}

/**
 * The host refused the context id the panel chose (another agent's server or one made
 * outside the panel holds it): the job moves on to the next id by itself.
 */
export function refusedContext(error: { code: string | null; field: string | null } | null | undefined): boolean {
  return error?.code === "CONFLICT" && error.field === "context";
}

/** What a finished operation reported besides its log (a transfer round's bytes, …); empty when nothing. */
export type OperationResult = NonNullable<OperationInfo["result"]>;

/**
 * Resolves with the operation's result when it succeeded; throws {@link OperationFailed}
 * with the agent's reason when it failed. `pollMs` shortens the pause between looks
 * where every moment counts (the last round of a move, while the server is down).
 */
export async function followOperation(ctx: JobContext, operationId: string, opts: { pollMs?: number } = {}): Promise<OperationResult> {
  const agent = ctx.agent();
  const deadline = Date.now() + maxMs;
  let next = 0;
  let lastProgress = -1;
  for (;;) {
    const op = await agent.getOperation({ id: operationId, sinceLine: next });
    // The host's reason for a refused context names the holder (another agent's server
    // and its config dir): the host's business, not for the customer reading this log.
    const hidden = op.state === "failed" && refusedContext({ code: op.error?.code ?? null, field: op.error?.field ?? null }) ? `failed: ${op.error?.message}` : null;
    const lines = op.lines.map((l) => l.text).filter((t) => t !== hidden);
    if (lines.length) await ctx.log(...lines);
    next = op.nextLine;
    if (op.progress !== lastProgress) {
      lastProgress = op.progress;
      await ctx.progress(Math.min(99, Math.round(op.progress)));
    }
    if (op.state === "succeeded") return op.result ?? {};
    if (op.state === "failed") throw new OperationFailed(op.error?.message ?? "the operation failed on the host", op.error?.code ?? null, op.error?.field ?? null);
    if (Date.now() > deadline) throw new Error("the operation took longer than two hours");
    await new Promise((r) => setTimeout(r, opts.pollMs ?? pollMs));
  }
}
