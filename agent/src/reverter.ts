/**
 * The undo stack of every multi-step change, in ops and in kernel alike: push an undo
 * after each step that made something; on failure everything is undone in reverse order,
 * each undo even if an earlier one failed, and the original error is rethrown, so a
 * failed build or start leaves nothing half-made. Undo failures never hide the cause:
 * they are attached to it as `undoFailures` and handed to `onUndoError` for the log.
 * (At the agent's root, beside errors.ts, because kernel/ may not import ops/.)
 */

/** One undo step. */
interface Step {
  what: string;
  undo: () => unknown;
}

/** An undo stack; see {@link withReverter}. */
export class Reverter {
  private readonly steps: Step[] = [];
  /** Undo steps that themselves failed during the last revert. */
  readonly undoErrors: { what: string; error: unknown }[] = [];

  /** Registers how to undo the step just done (or about to be done: undos must tolerate
   * "already gone", so pushing before a step that may half-fail is fine). */
  push(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  /** Forgets every step: the change is complete. */
  commit(): void {
    this.steps.length = 0;
  }

  /** Runs every undo in reverse order, continuing past failures. */
  async revert(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo();
      } catch (error) {
        this.undoErrors.push({ what: step.what, error });
      }
    }
  }
}

/** "what: message" of each failed undo. */
function undoFailureLines(r: Reverter): string[] {
  return r.undoErrors.map((e) => `${e.what}: ${e.error instanceof Error ? e.error.message : String(e.error)}`);
}

/** Runs `work` with a fresh reverter: commits on success, reverts on failure. */
export async function withReverter<T>(
  work: (r: Reverter) => Promise<T>,
  onUndoError?: (what: string, error: unknown) => void,
): Promise<T> {
  const r = new Reverter();
  try {
    const result = await work(r);
    r.commit();
    return result;
  } catch (error) {
    await r.revert();
    for (const e of r.undoErrors) onUndoError?.(e.what, e.error);
    if (r.undoErrors.length > 0 && error instanceof Error) Object.assign(error, { undoFailures: undoFailureLines(r) });
    throw error;
  }
}
