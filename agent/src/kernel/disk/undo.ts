/**
 * The reverter of this module's multi-step changes: push an undo after each step; on
 * failure every undo runs, newest first, each one even if an earlier one failed.
 * (agent/src/ops/reverter.ts, which CONVENTIONS.md names, does not exist yet; the net
 * module keeps the same small class for the same reason. Switching is a rename.)
 */

type Undo = { label: string; run: () => Promise<void> | void };

/** Collects the undo steps of one operation. */
export class Reverter {
  private readonly steps: Undo[] = [];

  /** Registers how to take back the step that just succeeded. */
  push(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run });
  }

  /** Runs all undos, newest first; returns the failures instead of throwing. */
  async revert(): Promise<string[]> {
    const failures: string[] = [];
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failures;
  }
}

/**
 * Runs `work` under a reverter; when it throws, reverts and rethrows the original
 * error with any undo failures attached as `undoFailures` (never lost silently).
 */
export async function withReverter<T>(work: (r: Reverter) => Promise<T>): Promise<T> {
  const reverter = new Reverter();
  try {
    return await work(reverter);
  } catch (error) {
    const failures = await reverter.revert();
    if (failures.length && error instanceof Error) Object.assign(error, { undoFailures: failures });
    throw error;
  }
}
