/**
 * Keeps a local agent running as systemd's `Restart=always` keeps the production unit:
 * when the agent ends while nobody asked it to (a crash, a kill -9, an OOM kill), a new
 * one is started on the same socket and credential. Running vservers never depended on
 * the agent, and the new agent finds them again; the panel stays up meanwhile and shows
 * the host unreachable until the agent answers.
 */
import type { AgentChild } from "./agent-process";

/** What supervision needs from its caller. */
export interface AgentSupervision {
  /** Starts one agent and resolves once it answers. */
  start(): Promise<AgentChild>;
  /** Told of every agent that came up (the first one and each restart). */
  started(child: AgentChild): void;
  /** True once the caller is shutting down: an agent ending then is no crash. */
  stopping(): boolean;
  /** Where restarts are told (default: stderr). */
  say?(line: string): void;
  /** First wait before a restart; doubles up to `maxDelayMs` while starts keep failing. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** Watches `child` and restarts the agent whenever it ends unasked. */
export function superviseAgent(child: AgentChild, s: AgentSupervision): void {
  const say = s.say ?? ((line: string) => console.error(line));
  const first = s.firstDelayMs ?? 500;
  const max = s.maxDelayMs ?? 30_000;
  s.started(child);
  child.process.once("exit", (code, signal) => {
    if (s.stopping()) return;
    say(`the agent ended unexpectedly (${signal ?? `code ${code}`}); starting it again (running servers keep running)`);
    void (async () => {
      for (let delay = first; !s.stopping(); delay = Math.min(max, delay * 2)) {
        await new Promise((r) => setTimeout(r, delay));
        if (s.stopping()) return;
        try {
          const next = await s.start();
          say(`the agent is back (pid ${next.process.pid})`);
          superviseAgent(next, s);
          return;
        } catch (error) {
          say(`starting the agent again failed (${(error as Error).message}); next try in ${Math.min(max, delay * 2)} ms`);
        }
      }
    })();
  });
}
