/**
 * The back-off of the `on-failure` restart policy: the first failure restarts after 1 s,
 * each further failure in a row doubles the delay up to 5 min, and a run that lasted
 * 10 min or more starts the count again (the server recovered; its next crash is a new
 * story). A crash loop thus costs the host a start every 5 min at most, and a server that
 * crashes once a day comes back within a second.
 */
import type { LastExit } from "@/lib/protocol/vservers";

/** The longest delay between two restarts. */
export const MAX_RESTART_DELAY_SEC = 300;
/** A run at least this long resets the count. */
export const RESET_AFTER_UP_SEC = 600;

/** The next restart after a failure: the how-many-th in a row, and the delay. `previous`
 * is the record of the end before this one (null: none). */
export function nextRestart(previous: LastExit | null, uptimeSec: number | null): { failuresInRow: number; delaySec: number } {
  const before = previous?.action === "restart-scheduled" ? previous.failuresInRow : null;
  const continues = before !== null && uptimeSec !== null && uptimeSec < RESET_AFTER_UP_SEC;
  const failuresInRow = continues ? before + 1 : 1;
  // 2^(n-1) without overflow: past 2^9 the cap holds anyway.
  const delaySec = Math.min(MAX_RESTART_DELAY_SEC, 2 ** Math.min(failuresInRow - 1, 10));
  return { failuresInRow, delaySec };
}
