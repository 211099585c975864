/**
 * A small reverter for this module's multi-step changes: push an undo after each step;
 * on failure every undo runs in reverse order, each one even if an earlier one failed.
 * (Kept local because agent/src/ops/reverter.ts does not exist yet; the contract is the
 * one CONVENTIONS.md describes, so switching over is a rename.)
 */

/** One undo step. */
type Undo = { label: string; run: () => Promise<void> | void };

/** Collects undo steps of one operation. */
export class UndoStack {
  private readonly steps: Undo[] = [];

  /** Registers how to take back the step that just succeeded. */
  push(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run });
  }

  /** Runs all undos, newest first; returns the failures instead of throwing. */
  async unwind(): Promise<{ label: string; error: unknown }[]> {
    const failures: { label: string; error: unknown }[] = [];
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        failures.push({ label: step.label, error });
      }
    }
    return failures;
  }
}

/**
 * Runs `work` with an undo stack; when it throws, unwinds and rethrows the original
 * error (undo failures are attached as `undoFailures` so they are not lost silently).
 */
export async function withUndo<T>(work: (undo: UndoStack) => Promise<T>): Promise<T> {
  const undo = new UndoStack();
  try {
    return await work(undo);
  } catch (error) {
    const failures = await undo.unwind();
    if (failures.length && error instanceof Error) {
      Object.assign(error, { undoFailures: failures.map((f) => `${f.label}: ${String(f.error)}`) });
    }
    throw error;
  }
}
