/**
 * Locks shared by the CLI and the daemon (separate processes): one per server, and one
 * for context ids (with the host-wide registry's lock inside it, so agents with other
 * state directories on the same machine wait too: ops/allocation/host-registry.ts). A lock is flock(2) on `RUNDIR/locks/KEY.lock`: the
 * kernel releases it when the holder's fd closes, also when the holder dies, so there
 * is no stale lock to take over. The fd is O_CLOEXEC: no helper or guest monitor
 * inherits it. Acquiring polls with LOCK_NB (a blocking flock would stall the event
 * loop); the holder's pid is written into the file for BUSY messages. Lock files are
 * never unlinked (unlinking races with a waiter that opened the old inode).
 */
import fs from "node:fs";
import path from "node:path";
import { flockBy, tryFlock } from "../kernel/flock-wait";
import { AgentFailure } from "../errors";
import type { HostPaths } from "../config/paths";
import { lockDir } from "../config/vserver/layout";
import { withHostRegistry } from "./allocation/host-registry";
import { syncOwnClaims } from "./allocation/host-claims";

/** A held lock; release it exactly once. */
export interface HeldLock {
  file: string;
  release(): void;
}

function lockFile(paths: HostPaths, key: string): string {
  const dir = lockDir(paths);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${key}.lock`);
}

function holderText(file: string): string {
  try {
    const pid = fs.readFileSync(file, "utf8").trim();
    return /^\d+$/.test(pid) ? `pid ${pid}` : "another process";
  } catch {
    return "another process";
  }
}

/**
 * Takes the lock `key` (a server name, or ".contexts"), waiting up to `timeoutMs`;
 * throws BUSY naming the holder when it stays taken.
 */
export async function acquireLock(paths: HostPaths, key: string, what: string, timeoutMs = 60_000): Promise<HeldLock> {
  const file = lockFile(paths, key);
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  try {
    if (!(await flockBy(fd, Date.now() + timeoutMs))) throw new AgentFailure("BUSY", `${what} is busy (locked by ${holderText(file)})`);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  fs.ftruncateSync(fd, 0);
  fs.writeSync(fd, `${process.pid}\n`, 0);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      fs.closeSync(fd);
    },
  };
}

/** Runs `work` holding the lock `key`. */
export async function withLock<T>(paths: HostPaths, key: string, what: string, work: () => Promise<T>, timeoutMs?: number): Promise<T> {
  const lock = await acquireLock(paths, key, what, timeoutMs);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

/** Runs `work` holding the lock of server `name`. */
export function withServerLock<T>(paths: HostPaths, name: string, work: () => Promise<T>, timeoutMs?: number): Promise<T> {
  return withLock(paths, name, `vserver "${name}"`, work, timeoutMs);
}

/**
 * Runs `work` holding the context-id lock and the host-wide registry's: chooseContext
 * and chooseUidRange then see every agent's ids. This agent's servers are claimed first
 * (a reboot empties /run; a server built before the registry existed has no claim).
 */
export function withContextLock<T>(paths: HostPaths, work: () => Promise<T>): Promise<T> {
  return withLock(paths, ".contexts", "context allocation", () =>
    withHostRegistry(() => {
      syncOwnClaims(paths);
      return work();
    }),
  );
}

/** Whether anyone holds the lock of `name` right now (for cleanup decisions). */
export function isLocked(paths: HostPaths, name: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockFile(paths, name), fs.constants.O_RDONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  } catch {
    return false;
  }
  try {
    return !tryFlock(fd, true);
  } finally {
    fs.closeSync(fd);
  }
}
