/**
 * Writing a limits patch as a list of steps, each with an undo, so that a kernel failure
 * half-way (EBUSY on a memory limit, EINVAL on a device) leaves the earlier fields as
 * they were: the agent never reports a failure while having changed part of a plan.
 */

/** One field's write and how to put the old value back. */
export interface LimitStep {
  field: string;
  apply(): Promise<void>;
  undo(): Promise<void>;
}

/** Runs the steps in order; on a failure undoes the applied ones in reverse, then rethrows. */
export async function applySteps(steps: readonly LimitStep[]): Promise<void> {
  const done: LimitStep[] = [];
  for (const step of steps) {
    try {
      await step.apply();
      done.push(step);
    } catch (error) {
      for (const applied of done.reverse()) {
        await applied.undo().catch(() => undefined); // best effort; the first error is the story
      }
      throw error;
    }
  }
}
