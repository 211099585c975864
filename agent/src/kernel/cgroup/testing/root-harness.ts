/**
 * Shared plumbing of the real-kernel cgroup tests: a backend under a fresh
 * `vst-<random>` parent, processes started inside a group before they run any code of
 * their own, and a cleanup that kills and removes everything, also after a failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { openCgroups, type OpenCgroupsOptions } from "../open-cgroups";
import type { Cgroups } from "../types";

/** A process started by {@link Harness.spawnIn}. */
export interface GroupProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves when it exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout has a complete line containing `text`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

/** What a root test works with. */
export interface Harness {
  cg: Cgroups;
  /** Starts argv with its pid written into every cgroup.procs of `name` before exec. */
  spawnIn(name: string, argv: string[]): Promise<GroupProcess>;
  /** Kills every process the test started and removes every group and the parent. */
  cleanup(): Promise<void>;
}

// The sh writes its own pid ($$) into each file, then execs: the program starts inside.
const joinScript =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 97; shift; n=$((n-1)); done; exec "$@"';

/** Opens a backend under a new `vst-` parent. */
export async function rootHarness(options: OpenCgroupsOptions = {}): Promise<Harness> {
  const parent = `vst-${randomBytes(4).toString("hex")}`;
  const cg = await openCgroups({ ...options, parent });
  const started: ChildProcess[] = [];

  async function spawnIn(name: string, argv: string[]): Promise<GroupProcess> {
    const files = cg.procsFiles(name);
    const child = spawn("sh", ["-c", joinScript, "sh", String(files.length), ...files, ...argv], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(child);
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const exited = once(child, "exit").then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    const pid = child.pid!;
    // Joined once the pid shows in the last file the script writes, or once the program
    // has already run and exited (anything but the script's own 97).
    const last = files.at(-1)!;
    for (let i = 0; ; i++) {
      const procs = await fsp.readFile(last, "utf8").catch(() => "");
      if (procs.split("\n").includes(String(pid))) break;
      if (child.exitCode === 97 || i > 2000) {
        throw new Error(`process ${argv.join(" ")} did not join ${name}: ${err}`);
      }
      if (child.exitCode !== null || child.signalCode !== null) break;
      await sleep(2);
    }
    return {
      child,
      pid,
      exited,
      stdout: () => out,
      stderr: () => err,
      async waitFor(text, timeoutMs = 20_000) {
        const deadline = Date.now() + timeoutMs;
        const complete = () => out.split("\n").slice(0, -1).some((line) => line.includes(text));
        while (!complete()) {
          if (Date.now() > deadline) throw new Error(`no "${text}" from ${argv.join(" ")}; stdout: ${out} stderr: ${err}`);
          await sleep(10);
        }
      },
    };
  }

  async function cleanup(): Promise<void> {
    const errors: unknown[] = [];
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const name of await cg.list().catch(() => [])) {
      await cg.remove(name, { kill: true }).catch((error: unknown) => errors.push(error));
    }
    for (const dir of cg.parentDirs().reverse()) {
      await fsp.rmdir(dir).catch((error: NodeJS.ErrnoException) => error.code !== "ENOENT" && errors.push(error));
    }
    if (errors.length) throw new AggregateError(errors, `cleanup of ${parent} left something behind`);
  }

  return { cg, spawnIn, cleanup };
}

/** Waits `ms` milliseconds (a measuring window, not a timing assertion). */
export const pause = (ms: number) => sleep(ms);

/** Whether a pid is a live process (not gone, not a zombie). */
export async function isAlive(pid: number): Promise<boolean> {
  const stat = await fsp.readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return false;
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}
