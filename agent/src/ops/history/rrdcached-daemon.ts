/**
 * rrdcached, started and supervised by the agent. It runs detached (its own session), so
 * an agent that crashes or restarts leaves it running — like the servers — and the next
 * agent adopts it by its pid file (the process must still be rrdcached with our socket on
 * its command line, and answer PING). An agent that stops on purpose stops it too; it
 * writes every pending update at that stop (-F), and a journal (-j) replays what a kill
 * of the daemon itself cut off. Updates are cached and written every 30 minutes, spread
 * over 15 (-w/-z): at 1000 servers that is a few writes a second instead of 100.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AgentFailure } from "../../errors";
import type { HistoryPaths } from "./history-paths";
import { RrdcachedClient } from "./rrdcached-client";
import { pidRuns, readPidFile } from "../../kernel/host/daemon-pid";

/** Flush settings (seconds), overridable for tests. */
export interface DaemonTiming {
  writeEverySec: number;
  writeDelaySec: number;
}

const defaultTiming: DaemonTiming = { writeEverySec: 1800, writeDelaySec: 900 };

/** The rrdcached argv for `p` (no shell: each option one word). */
export function rrdcachedArgs(p: HistoryPaths, timing: DaemonTiming = defaultTiming): string[] {
  return [
    "-g", // foreground: this process is the daemon (we detach it ourselves)
    "-B", "-R", "-b", p.baseDir, // only files below the base directory, subdirectories made on CREATE
    "-j", p.journalDir,
    "-F", // write everything at shutdown
    "-w", String(timing.writeEverySec), "-z", String(timing.writeDelaySec), "-f", "3600",
    "-t", "2",
    "-p", p.pidFile,
    "-m", "0600", "-l", `unix:${p.socket}`,
  ];
}


async function answersPing(socket: string): Promise<boolean> {
  const c = new RrdcachedClient(socket);
  try {
    return (await c.command("PING", 2000)).message.trim() === "PONG";
  } catch {
    return false;
  } finally {
    c.close();
  }
}

/** The pid of the host's running rrdcached for `p`, or null. */
export async function runningDaemon(p: HistoryPaths): Promise<number | null> {
  const pid = readPidFile(p.pidFile);
  if (pid === null || !pidRuns(pid, "rrdcached", `unix:${p.socket}`)) return null;
  return (await answersPing(p.socket)) ? pid : null;
}

/**
 * Makes sure rrdcached runs for `p`: adopts a running one, else starts one and waits for
 * its socket. Returns its pid.
 */
export async function ensureDaemon(p: HistoryPaths, timing: DaemonTiming = defaultTiming): Promise<number> {
  const running = await runningDaemon(p);
  if (running !== null) return running;
  const stale = readPidFile(p.pidFile);
  if (stale !== null && pidRuns(stale, "rrdcached", `unix:${p.socket}`)) {
    // Ours but not answering (hung): replaced, its journal is replayed by the new one.
    try {
      process.kill(stale, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const dir of [p.baseDir, p.journalDir, path.dirname(p.socket)]) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.rmSync(p.pidFile, { force: true });
  fs.rmSync(p.socket, { force: true });
  const log = fs.openSync(p.logFile, "a", 0o600);
  let child;
  try {
    child = spawn("rrdcached", rrdcachedArgs(p, timing), { detached: true, stdio: ["ignore", log, log] });
  } finally {
    fs.closeSync(log);
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("error", () => undefined);
  child.unref();
  for (let i = 0; i < 100; i++) {
    if (await answersPing(p.socket)) return child.pid!;
    const code = await Promise.race([exited, sleep(50).then(() => undefined)]);
    if (code !== undefined) {
      const tail = fs.existsSync(p.logFile) ? fs.readFileSync(p.logFile, "utf8").slice(-500) : "";
      throw new AgentFailure("KERNEL", `rrdcached exited with ${code} at start: ${tail.trim()}`);
    }
  }
  throw new AgentFailure("KERNEL", `rrdcached did not open ${p.socket} within 5 s`);
}

/** Stops the daemon (it writes every pending update first) and waits for it to end. */
export async function stopDaemon(p: HistoryPaths, timeoutMs = 30_000): Promise<void> {
  const pid = readPidFile(p.pidFile);
  if (pid === null || !pidRuns(pid, "rrdcached", `unix:${p.socket}`)) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidRuns(pid, "rrdcached", `unix:${p.socket}`)) return;
    await sleep(25);
  }
  process.kill(pid, "SIGKILL");
}
