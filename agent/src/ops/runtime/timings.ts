/** Phase timings of a start (for `VSERVER_TIMINGS=1` and the benchmark report). */

/** Collects the time since the previous mark, per phase. */
export class Timings {
  private last = performance.now();
  readonly phases: { phase: string; ms: number }[] = [];

  /** Ends the current phase under `phase`. */
  mark(phase: string): void {
    const now = performance.now();
    this.phases.push({ phase, ms: Math.round((now - this.last) * 100) / 100 });
    this.last = now;
  }

  /** "config 0.4ms, cgroup 3.1ms, …". */
  toString(): string {
    return this.phases.map((p) => `${p.phase} ${p.ms}ms`).join(", ");
  }
}
