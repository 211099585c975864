/**
 * The end of every root swap (reinstall, restore of a backup): the new root is in place
 * and the old one kept beside it. If the server is to run, it is started and must stay up
 * a moment; only then is the swap committed (the reverter's undo, which puts the old root
 * back, is dropped) and the old root removed — a removal that fails is said and left to
 * the next swap.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import type { Reverter } from "../../reverter";
import { ensureStopped, startLocked } from "../lifecycle/start-vserver";
import { initAlive, readRunState } from "../runtime/run-state";
import { discardStaging, type Staging } from "./staging";

/** How long a new init must stay up after its start to count as started. */
const SETTLE_MS = 500;

/** Starts (when `start`) and commits the swap of `name`'s root; `what` names the new root in messages ("new", "restored"). */
export async function finishRootSwap(paths: HostPaths, name: string, s: Staging, r: Reverter, opts: { start: boolean; what: string; log: (line: string) => void }): Promise<void> {
  if (opts.start) {
    await startLocked(paths, name);
    await sleep(SETTLE_MS);
    const now = readRunState(paths, name);
    if (!now || !initAlive(now)) {
      await ensureStopped(paths, name);
      throw new AgentFailure("KERNEL", `the ${opts.what} root of "${name}" started, but its init ended at once`);
    }
    opts.log(`the ${opts.what} root runs`);
  }
  r.commit();
  try {
    await discardStaging(s);
    opts.log("the old root is removed");
  } catch (e) {
    opts.log(`the old root could not be removed yet (${(e as Error).message}); the next reinstall or restore removes it`);
  }
}
