/**
 * The servers' own view of their resources (issue 13): the agent host's one LXCFS,
 * started on first need, supervised (restarted when it dies) and bound over each
 * server's /proc files at start. A host where LXCFS cannot run still starts its servers
 * — they then see the host's values — and says so in its capabilities.
 *
 * A server started while LXCFS served keeps binds of that daemon's mount: when the
 * daemon dies its files answer ENOTCONN until the server restarts (LXCFS's own limit;
 * LXC has the same). New starts get the restarted daemon.
 */
import path from "node:path";
import type { HostPaths } from "../../config/paths";
import { ensureLxcfs, runningLxcfs, stopLxcfs, type LxcfsPaths } from "../../kernel/lxcfs/lxcfs-daemon";
import { ownViewEntries } from "../../kernel/launch/own-view-mounts";
import type { MountEntry } from "../../kernel/launch/spec-types";
import { withLock } from "../locks";

/** Whether servers here see their own resources, and why not when they do not. */
export interface OwnViewState {
  mode: "lxcfs" | "none";
  reason: string;
}

let last: OwnViewState = { mode: "none", reason: "lxcfs not started yet" };
/** One start per mount dir at a time in this process (servers starting at once share it);
 * the host lock keeps the CLI and the agent from mounting two on one dir. */
const starting = new Map<string, Promise<number>>();

/** Where this host's LXCFS lives: under the run dir, so two test hosts never share one. */
export function lxcfsPathsOf(paths: HostPaths): LxcfsPaths {
  const dir = path.join(paths.runDir, "lxcfs");
  return { mountDir: path.join(dir, "mnt"), pidFile: path.join(dir, "lxcfs.pid"), logFile: path.join(dir, "lxcfs.log") };
}

/** The last known state (for the host capabilities). */
export function ownViewState(): OwnViewState {
  return last;
}

/** Starts or adopts LXCFS; records and returns the outcome, never throws. */
export async function ensureOwnView(paths: HostPaths): Promise<OwnViewState> {
  const p = lxcfsPathsOf(paths);
  try {
    if (runningLxcfs(p) === null) {
      let pending = starting.get(p.mountDir);
      if (!pending) {
        pending = withLock(paths, ".lxcfs", "lxcfs start", () => ensureLxcfs(p), 30_000).finally(() => starting.delete(p.mountDir));
        starting.set(p.mountDir, pending);
      }
      await pending;
    }
    last = { mode: "lxcfs", reason: `lxcfs serves ${p.mountDir}` };
  } catch (e) {
    last = { mode: "none", reason: (e as Error).message ?? String(e) };
  }
  return last;
}

/** The bind entries a starting server gets ([] when LXCFS is not available). */
export async function ownViewMounts(paths: HostPaths): Promise<MountEntry[]> {
  const state = await ensureOwnView(paths);
  return state.mode === "lxcfs" ? ownViewEntries(lxcfsPathsOf(paths).mountDir) : [];
}

/**
 * Checks LXCFS every `intervalMs` and restarts it when it died; `onChange` hears each
 * change of state. Returns the stop function (the daemon itself keeps running: the
 * servers' binds need it after the agent is gone).
 */
export function superviseOwnView(paths: HostPaths, intervalMs = 10_000, onChange?: (s: OwnViewState) => void): () => void {
  let previous = last.mode + last.reason;
  const tick = async () => {
    const s = await ensureOwnView(paths);
    if (s.mode + s.reason !== previous) onChange?.(s);
    previous = s.mode + s.reason;
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Stops this host's LXCFS (tests, and a host that is being taken down). */
export async function stopOwnView(paths: HostPaths): Promise<void> {
  await stopLxcfs(lxcfsPathsOf(paths));
  last = { mode: "none", reason: "lxcfs stopped" };
}
