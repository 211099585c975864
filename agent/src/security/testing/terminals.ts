/**
 * Interactive sessions into a server for the TIOCSTI attacks, both ways a person gets
 * one: `vserver NAME enter` on a host terminal (node-pty, like an admin's ssh session)
 * and the agent's console endpoint (the panel's own client, like a browser console).
 * Each gives: what it printed so far, a way to type, and a close.
 */
import path from "node:path";
import * as pty from "node-pty";
import { openAgentConsole } from "@/lib/realtime/console/agent-console-link";
import { readToken } from "../../auth/credential";
import { until } from "../../ops/limits/testing/cli-host";
import { binPath, type TempHost } from "../../ops/testing/temp-host";

/** A session's two directions and its end. */
export interface Terminal {
  output(): string;
  type(text: string): void;
  /** Types `command`, then waits for a computed marker (never in the echo). */
  run(command: string): Promise<string>;
  close(): Promise<void>;
}

function withRun(t: Omit<Terminal, "run">): Terminal {
  return {
    ...t,
    async run(command) {
      const id = Math.random().toString(36).slice(2, 8);
      const from = t.output().length;
      t.type(`${command}; echo END${id}$((1+1))\r`);
      await until(`output of ${command}`, () => t.output().slice(from).includes(`END${id}2`));
      return t.output().slice(from);
    },
  };
}

/** `vserver NAME enter` on a node-pty terminal of the host. */
export async function enterTerminal(host: TempHost, name: string): Promise<Terminal> {
  const term = pty.spawn(binPath("vserver"), [name, "enter"], { cols: 100, rows: 30, env: host.env as Record<string, string> });
  let out = "";
  term.onData((d) => (out += d));
  const exited = new Promise<void>((r) => term.onExit(() => r()));
  const t = withRun({
    output: () => out,
    type: (text) => term.write(text),
    async close() {
      term.write("exit\r");
      const timer = setTimeout(() => term.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  });
  await t.run("true");
  return t;
}

/** A console through the agent daemon's endpoint (the daemon of `host` listens on base/agent.sock). */
export async function consoleTerminal(host: TempHost, name: string): Promise<Terminal> {
  const socket = path.join(host.base, "agent.sock");
  const credential = readToken(path.join(host.paths.confDir, ".agent"));
  let out = "";
  let ended = false;
  const link = await openAgentConsole(
    { endpoint: `unix:${socket}`, credential },
    { name, cols: 100, rows: 30, idle: 600, session: `vst-${Math.random().toString(36).slice(2, 8)}` },
    { onOutput: (d) => (out += d), onEnd: () => (ended = true) },
  );
  const t = withRun({
    output: () => out,
    type: (text) => link.send({ type: "input", data: text }),
    async close() {
      link.close();
      await until("the console to end", () => ended);
    },
  });
  await t.run("true");
  return t;
}
