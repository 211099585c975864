/**
 * A browser console: `vserver NAME enter` driven by the panel. vs-enter (non-dumpable,
 * outside the guest's pid namespace, all other fds closed before the guest's shell
 * runs) opens a pty from the GUEST's devpts and relays it to its own stdin/stdout.
 * Those are the slave of a host pty that node-pty opens here, because that is the one
 * way to forward window sizes: a resize sets the host pty's size, the kernel sends
 * SIGWINCH to vs-enter (the session leader of that pty), and vs-enter copies the size
 * to the guest's pty. No guest process ever holds the host pty: only vs-enter does.
 */
import type { IPty } from "node-pty";
import { helperPath } from "@/native";
import type { ConsoleEndReason } from "@/lib/protocol/console";
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { DEFAULT_ENTER_ENV, type EnterTarget } from "../../kernel/launch/enter-spec";
import { ptySpecForFile } from "../../kernel/launch/enter-vserver";
import { openEnterTarget } from "../runtime/enter-target";
import { writeSpecFile } from "./console-spec-file";
import { hangUpSession } from "./hang-up-session";
import { nodePty } from "./load-node-pty";

/** At most this many consoles per server at once: each holds a shell and two ptys. */
export const MAX_CONSOLES_PER_VSERVER = 16;

/** After SIGHUP, how long a shell may take to go before vs-enter (and with it the shell) is killed. */
const KILL_GRACE_MS = 3000;

/** How long input waits for the shell's first output (see startConsole). */
const FIRST_OUTPUT_WAIT_MS = 2000;
/** Input frames kept while waiting; more are dropped (nobody types that fast before a prompt). */
const MAX_PENDING_WRITES = 64;

/** vs-enter's exit status when it failed before running the shell. */
const HELPER_FAILED = 125;

/** A login shell as root, as `vserver NAME enter` gives it, with a terminal type xterm.js speaks. */
const CONSOLE_ARGV = ["/bin/sh", "-l"];
const CONSOLE_ENV = [
  ...DEFAULT_ENTER_ENV.filter((e) => !e.startsWith("TERM=")),
  "TERM=xterm-256color",
  "LANG=C.UTF-8",
  "USER=root",
  "LOGNAME=root",
];

const openCounts = new Map<string, number>();

/** How a console ended. */
export interface ConsoleEnd {
  reason: ConsoleEndReason;
  /** vs-enter's exit status (the shell's status, 128+N for signal N), null when killed. */
  code: number | null;
  message: string;
}

/** A server checked to be running, ready to get a console. */
export interface PreparedConsole {
  name: string;
  target: Omit<EnterTarget, "pidfd">;
}

/** What the caller hears from a session. */
export interface ConsoleEvents {
  onOutput(data: string): void;
  onEnd(end: ConsoleEnd): void;
}

/** Window size and idle limit of a new console. */
export interface ConsoleRequest {
  cols: number;
  rows: number;
  idleMs: number;
}

/** A running console. */
export interface ConsoleSession {
  /** Host pid of vs-enter. */
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading output (the reader is behind); {@link resume} continues. */
  pause(): void;
  resume(): void;
  /** Hangs up the shell (SIGHUP, then SIGKILL after a grace period); onEnd follows. */
  close(): void;
}

/** Checks that `name` exists, runs and can take one more console; throws AgentFailure otherwise. */
export function prepareConsole(paths: HostPaths, name: string): PreparedConsole {
  const open = openEnterTarget(paths, name);
  // node-pty passes no extra fds, so vs-enter opens its own pidfd from pid + start time.
  open.close();
  const { pidfd: _unused, ...target } = open.target;
  if ((openCounts.get(name) ?? 0) >= MAX_CONSOLES_PER_VSERVER) {
    throw new AgentFailure("LIMIT_EXCEEDED", `vserver "${name}" already has ${MAX_CONSOLES_PER_VSERVER} consoles open`, "name");
  }
  return { name, target };
}

/** "30 minutes", "1 minute", "90 seconds": how long the idle limit was, for the notice. */
export function idleText(ms: number): string {
  const m = ms / 60_000;
  if (m >= 1 && Number.isInteger(m)) return `${m} minute${m === 1 ? "" : "s"}`;
  const s = Math.round(ms / 1000);
  return `${s} second${s === 1 ? "" : "s"}`;
}

/** Starts the shell of a prepared console. */
export function startConsole(paths: HostPaths, prepared: PreparedConsole, req: ConsoleRequest, events: ConsoleEvents): ConsoleSession {
  const spec = writeSpecFile(paths, ptySpecForFile(prepared.target, { argv: CONSOLE_ARGV, env: CONSOLE_ENV }));
  let term: IPty;
  try {
    term = nodePty().spawn(helperPath("vs-enter"), ["--spec-file", spec.path], { name: "xterm-256color", cols: req.cols, rows: req.rows, cwd: "/", env: {} });
  } catch (error) {
    spec.remove();
    throw new AgentFailure("INTERNAL", `could not start the console helper: ${(error as Error).message}`);
  }
  const name = prepared.name;
  openCounts.set(name, (openCounts.get(name) ?? 0) + 1);

  let ending: ConsoleEndReason | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(term.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const hangUp = (reason: ConsoleEndReason) => {
    if (ending) return;
    ending = reason;
    // The shell's session first (its jobs too, as bash does on a hangup), then vs-enter,
    // which forwards the hangup to the shell; a shell that ignores it dies with vs-enter
    // (its PDEATHSIG) after the grace period.
    try {
      hangUpSession(term.pid);
    } catch {
      /* /proc unreadable: vs-enter's hangup below still ends the shell */
    }
    signal("SIGHUP");
    killTimer = setTimeout(() => signal("SIGKILL"), KILL_GRACE_MS);
  };
  const idle = setTimeout(() => hangUp("idle"), req.idleMs);

  // Input waits for the first output: until vs-enter has set the host pty raw, that pty
  // would echo and line-buffer it, and only output from the guest proves vs-enter has
  // read its spec file. A shell that prints no prompt gets the input after a moment.
  let pending: string[] | null = [];
  const flush = () => {
    if (!pending) return;
    const queued = pending.join("");
    pending = null;
    spec.remove();
    if (queued && !ending) term.write(queued);
  };
  const firstOutputDeadline = setTimeout(flush, FIRST_OUTPUT_WAIT_MS);
  term.onData((data) => {
    if (pending) {
      clearTimeout(firstOutputDeadline);
      flush();
    }
    events.onOutput(data);
  });
  term.onExit(({ exitCode, signal: sig }) => {
    clearTimeout(idle);
    clearTimeout(firstOutputDeadline);
    clearTimeout(killTimer);
    spec.remove();
    const left = (openCounts.get(name) ?? 1) - 1;
    if (left > 0) openCounts.set(name, left);
    else openCounts.delete(name);
    const code = sig ? null : exitCode;
    if (ending === "idle") events.onEnd({ reason: "idle", code, message: `no input for ${idleText(req.idleMs)}` });
    else if (ending) events.onEnd({ reason: ending, code, message: "the console was closed" });
    else if (code === HELPER_FAILED) events.onEnd({ reason: "failed", code, message: `could not enter "${name}" (did it stop?)` });
    else events.onEnd({ reason: "exited", code, message: `the shell exited${code === null ? "" : ` with status ${code}`}` });
  });

  return {
    pid: term.pid,
    write(data) {
      if (ending) return;
      idle.refresh();
      if (!pending) term.write(data);
      else if (pending.length < MAX_PENDING_WRITES) pending.push(data);
    },
    resize(cols, rows) {
      if (ending) return;
      idle.refresh();
      term.resize(cols, rows);
    },
    pause: () => term.pause(),
    resume: () => term.resume(),
    close: () => hangUp("closed"),
  };
}
