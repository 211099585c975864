/**
 * RLIMIT_NOFILE of host processes: what this process may give (its own hard limit, or up
 * to fs.nr_open with CAP_SYS_RESOURCE) and a live change of another process's limit
 * (util-linux `prlimit`: one argv, no shell).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { CAP_SYS_RESOURCE, hasCapability } from "../disk/loop/capability";

const run = promisify(execFile);

/** Soft and hard open-files limit. */
export interface NofileLimit {
  soft: number;
  hard: number;
}

/** The "Max open files" line of /proc/PID/limits (`self` by default). */
export function readNofileOf(pid: number | "self" = "self"): NofileLimit {
  const text = fs.readFileSync(`/proc/${pid}/limits`, "utf8");
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  if (!m) throw new Error(`/proc/${pid}/limits has no "Max open files" line`);
  const num = (s: string) => (s === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(s));
  return { soft: num(m[1]!), hard: num(m[2]!) };
}

/**
 * The highest nofile this agent can give a server: the kernel's fs.nr_open with
 * CAP_SYS_RESOURCE, else its own hard limit (a raise above it is refused with EPERM).
 */
export function maxGrantableNofile(): { max: number; why: string } {
  const nrOpen = Number(fs.readFileSync("/proc/sys/fs/nr_open", "utf8").trim());
  if (hasCapability(CAP_SYS_RESOURCE)) return { max: nrOpen, why: `the kernel's fs.nr_open (${nrOpen})` };
  const own = readNofileOf().hard;
  return { max: Math.min(own, nrOpen), why: `the agent's own hard limit (${own}; it lacks CAP_SYS_RESOURCE to give more)` };
}

/** Result of a live change on one process. */
export type SetNofileResult = "set" | "gone" | "refused";

/** Sets `pid`'s RLIMIT_NOFILE to `limit`; "gone" when it exited, "refused" on EPERM. */
export async function setNofileOf(pid: number, limit: NofileLimit): Promise<SetNofileResult> {
  try {
    await run("prlimit", ["--pid", String(pid), `--nofile=${limit.soft}:${limit.hard}`]);
    return "set";
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "");
    if (/No such process/i.test(stderr) || !fs.existsSync(`/proc/${pid}`)) return "gone";
    if (/not permitted/i.test(stderr)) return "refused";
    throw new Error(`prlimit --pid ${pid}: ${stderr.trim() || (e as Error).message}`);
  }
}
