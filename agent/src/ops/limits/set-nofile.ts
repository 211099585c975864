/**
 * `vlimit NAME --nofile N` (util-vserver's `rlimits/nofile`): the open-files limit of
 * every process of a server, soft = hard. A start gives it to the init (vs-start), so
 * every guest process inherits it; a change while the server runs is applied to each of
 * its processes at once (so their future children inherit it too) and persisted.
 * "unlimited" removes the setting: the server's processes get the agent's own limit.
 */
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { readNofile, writeNofile } from "../../config/vserver/rlimits";
import { maxGrantableNofile, readNofileOf, setNofileOf, type NofileLimit } from "../../kernel/launch/nofile-limit";
import { withServerLock } from "../locks";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";

/** What a change did. */
export interface SetNofileResult {
  nofile: number | null;
  /** Processes changed live (0 when the server is stopped). */
  changed: number;
  /** Processes that refused (a guest that lowered its own hard limit keeps it). */
  refused: number;
}

/** Refuses a value this host cannot give (a start would fail with EPERM). */
export function checkNofileGrantable(value: number | null, field = "nofile"): void {
  if (value === null) return;
  const { max, why } = maxGrantableNofile();
  if (value > max) throw new AgentFailure("UNSUPPORTED", `${field}: ${value} is above what this host can give: ${why}`, field);
}

/** Sets `limit` on every process of the group, again for processes forked meanwhile. */
async function applyLive(name: string, limit: NofileLimit): Promise<{ changed: number; refused: number }> {
  const cg = await hostCgroups();
  const done = new Set<number>();
  let refused = 0;
  // A process forked while we walk the list copies its parent's old limit: walk again
  // until a pass finds no process we have not set (every later fork inherits the new one).
  for (let pass = 0; pass < 5; pass++) {
    const fresh = (await cg.pids(name)).filter((p) => !done.has(p));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      done.add(pid);
      const r = await setNofileOf(pid, limit);
      if (r === "refused") refused++;
    }
  }
  return { changed: done.size - refused, refused };
}

/** Sets (or with null clears) the nofile limit of `name`, live when it runs. */
export async function setNofile(paths: HostPaths, name: string, value: number | null): Promise<SetNofileResult> {
  checkNofileGrantable(value);
  return withServerLock(paths, name, async () => {
    readVserverConfig(paths, name); // NOT_FOUND for an unknown server
    const state = readRunState(paths, name);
    let live = { changed: 0, refused: 0 };
    if (state && initAlive(state)) {
      const own = readNofileOf();
      live = await applyLive(name, value === null ? own : { soft: value, hard: value });
    }
    writeNofile(paths, name, value);
    return { nofile: value, ...live };
  });
}

/** The configured nofile of `name` (null: the host's default). */
export function getNofile(paths: HostPaths, name: string): number | null {
  return readNofile(paths, name);
}
