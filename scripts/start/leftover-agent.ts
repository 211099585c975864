/**
 * An agent left running by an earlier `npm start` that was killed (kill -9, a closed
 * terminal): it still holds the socket, so a new agent could not listen, and the new start
 * would talk to an agent it does not own (nobody would restart it or stop it on Ctrl-C).
 * It is stopped first; the servers it ran never depended on it and keep running.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** The pids listening on the unix socket `socketPath` (from `ss`, iproute2). */
export function socketListeners(socketPath: string): number[] {
  let out = "";
  try {
    out = execFileSync("ss", ["-Hxlp", "src", socketPath], { encoding: "utf8" });
  } catch {
    return [];
  }
  return [...new Set([...out.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isAgent(pid: number): boolean {
  try {
    return /agent\.mjs|agent\/src\/main\.ts/.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Stops the agents that listen on `socketPath` (SIGTERM, SIGKILL after `graceMs`) and
 * says so; a listener that is not an agent is left alone and named in an error.
 */
export async function stopLeftoverAgent(socketPath: string, say: (line: string) => void, graceMs = 10_000): Promise<void> {
  for (const pid of socketListeners(socketPath)) {
    if (pid === process.pid) continue;
    if (!isAgent(pid)) throw new Error(`${socketPath} is held by process ${pid}, which is not an agent: stop it first`);
    say(`stopping the agent an earlier start left running (pid ${pid}); its servers keep running`);
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + graceMs;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (running(pid)) process.kill(pid, "SIGKILL");
    while (running(pid)) await new Promise((r) => setTimeout(r, 50));
  }
}
