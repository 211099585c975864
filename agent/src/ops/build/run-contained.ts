/**
 * Runs a host tool that installs a distribution into a new root (debootstrap, dnf) so
 * that nothing of it can outlive the build: `setpriv --pdeathsig KILL` makes the tool's
 * wrapper die with the agent or CLI, `unshare --pid --fork --kill-child` puts the tool
 * and every process it starts (dpkg, maintainer scripts in the chroot) into a pid
 * namespace that the kernel empties when its first process dies, and `--mount
 * --propagation private` keeps the /proc and /sys that debootstrap mounts inside the
 * new root out of the host's mount table: they vanish with the namespace even after a
 * SIGKILL. Output lines stream to `onLine`; an abort signal kills the whole tree.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { AgentFailure } from "../../errors";

/** Options of {@link runContained}. */
export interface ContainedOptions {
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  env?: Record<string, string>;
  /** Name for error messages (default argv[0]). */
  what?: string;
  /** Keep this many last lines for the error message. */
  tailLines?: number;
}

/** The wrapper in front of `argv`. */
export function containedArgv(argv: readonly string[]): string[] {
  return ["setpriv", "--pdeathsig", "KILL", "--", "unshare", "--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--", ...argv];
}

/** Runs `argv` contained; resolves when it exits 0, else throws with its last lines. */
export function runContained(argv: readonly string[], opts: ContainedOptions = {}): Promise<void> {
  const what = opts.what ?? argv[0] ?? "tool";
  const full = containedArgv(argv);
  const tail: string[] = [];
  const keep = opts.tailLines ?? 15;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new AgentFailure("INTERNAL", `${what}: interrupted`));
    const child = spawn(full[0]!, full.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: (opts.env ?? process.env) as NodeJS.ProcessEnv });
    const onAbort = () => child.kill("SIGKILL");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const lineReader = () => {
      let rest = "";
      return (b: Buffer) => {
        const parts = (rest + b.toString("utf8")).split(/\r?\n|\r/);
        rest = parts.pop() ?? "";
        for (const line of parts) {
          if (!line.trim()) continue;
          tail.push(line);
          if (tail.length > keep) tail.shift();
          opts.onLine?.(line);
        }
      };
    };
    child.stdout.on("data", lineReader());
    child.stderr.on("data", lineReader());
    child.once("error", (e) => {
      opts.signal?.removeEventListener("abort", onAbort);
      reject(new AgentFailure("UNSUPPORTED", `${what}: cannot run ${full[0]}: ${e.message}`));
    });
    child.once("close", (code, signal) => {
      opts.signal?.removeEventListener("abort", onAbort);
      if (opts.signal?.aborted) return reject(new AgentFailure("INTERNAL", `${what}: interrupted`));
      if (code === 0) return resolve();
      reject(new AgentFailure("INTERNAL", `${what} failed (${signal ?? `exit ${code}`}): ${tail.slice(-5).join(" | ")}`));
    });
  });
}

/** Whether a host command exists (a PATH lookup, no shell, nothing run). */
export function hostHas(cmd: string): boolean {
  const dirs = (process.env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":");
  return dirs.some((d) => {
    try {
      fs.accessSync(path.join(d, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
