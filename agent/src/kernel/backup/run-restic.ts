/**
 * Runs restic (Debian's `restic`) against one repository. The repository's password is
 * handed over as RESTIC_PASSWORD_FILE (a root-only file in the agent's state dir), never
 * on a command line or in an argument; the repository location and the SFTP transport
 * are arguments/environment the agent made itself, never guest input.
 */
import { spawn } from "node:child_process";
import { AgentFailure } from "../../errors";

/** How to reach one repository. */
export interface ResticRepo {
  /** restic's repository string: an absolute directory or `sftp:…`. */
  repository: string;
  /** A root-only file holding the password. */
  passwordFile: string;
  /** restic's cache (host-private). */
  cacheDir: string;
  /** Extra global options (`-o sftp.command=…` for SFTP targets). */
  options: string[];
}

/** Options of {@link runRestic}. */
export interface RunOptions {
  /** Called with each stdout line as it arrives (for `--json` progress). */
  onLine?: (line: string) => void;
  /** Exit codes that count as success (default: 0 only). */
  okCodes?: number[];
  /** Working directory. */
  cwd?: string;
  /** Stdout as a stream instead of collected text (dump). */
  stdout?: NodeJS.WritableStream;
  /** How long a run that finds the repository locked is retried (default 30 s; 0: not at all). */
  lockWaitMs?: number;
}

/** What restic answered. */
export interface ResticResult {
  code: number;
  stdout: string;
  stderr: string;
}

const MAX_KEEP = 64 << 20;

const LOCKED = /repository is already locked/i;

/**
 * Runs `restic ARGS` and resolves with its output; a failure carries restic's last error lines.
 *
 * A run that finds the repository locked is tried again for a while: restic 0.14 has no
 * `--retry-lock`, and a lock is often only briefly in the way — another server's backup
 * on the same target, or the lock of a restic that died with a killed agent: restic calls
 * a lock stale only once its process is gone, and a killed agent's child lingers as a
 * zombie until init reaps it (here up to 1.5 s). Between tries `restic unlock` removes
 * the locks whose process is gone; a live run's lock stays, and after `lockWaitMs` the
 * run fails BUSY.
 */
export async function runRestic(repo: ResticRepo, args: string[], opts: RunOptions = {}): Promise<ResticResult> {
  const until = Date.now() + (opts.lockWaitMs ?? 30_000);
  for (let pause = 200; ; pause = Math.min(pause * 2, 5_000)) {
    try {
      return await runOnce(repo, args, opts);
    } catch (e) {
      if (!(e instanceof LockedFailure)) throw e;
      if (Date.now() + pause > until) {
        throw new AgentFailure("BUSY", `restic ${args[0] ?? ""}: the repository is in use by another restic run; try again when it ends (${e.message})`);
      }
      await new Promise((r) => setTimeout(r, pause));
      await runOnce(repo, ["unlock"], {}).catch(() => undefined);
    }
  }
}

/** A run refused because another run holds the repository's lock. */
class LockedFailure extends Error {}

/** One run of `restic ARGS`. */
function runOnce(repo: ResticRepo, args: string[], opts: RunOptions): Promise<ResticResult> {
  return new Promise((resolve, reject) => {
    // restic dies with the agent (setpriv --pdeathsig): a killed agent must not leave a
    // backup running on that then writes a snapshot for a job already reported failed.
    const child = spawn("setpriv", ["--pdeathsig", "SIGKILL", "--", "restic", ...repo.options, ...args], {
      cwd: opts.cwd ?? "/",
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...({} as NodeJS.ProcessEnv),
        PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin",
        HOME: repo.cacheDir,
        RESTIC_REPOSITORY: repo.repository,
        RESTIC_PASSWORD_FILE: repo.passwordFile,
        RESTIC_CACHE_DIR: repo.cacheDir,
        RESTIC_PROGRESS_FPS: "1",
        LC_ALL: "C",
        // Times in and out of restic (`backup --time`, `snapshots --json`) in UTC, whatever the host's zone.
        TZ: "UTC",
      },
    });
    let out = "";
    let err = "";
    let partial = "";
    if (opts.stdout) child.stdout.pipe(opts.stdout);
    else
      child.stdout.on("data", (d: Buffer) => {
        const text = d.toString("utf8");
        if (out.length < MAX_KEEP) out += text;
        if (opts.onLine) {
          partial += text;
          const lines = partial.split("\n");
          partial = lines.pop() ?? "";
          for (const l of lines) if (l) opts.onLine(l);
        }
      });
    child.stderr.on("data", (d: Buffer) => {
      if (err.length < 1 << 20) err += d.toString("utf8");
    });
    child.on("error", (e) => reject(new AgentFailure("UNSUPPORTED", `restic cannot run: ${e.message} (install Debian's restic)`)));
    child.on("close", (code, signal) => {
      if (partial && opts.onLine) opts.onLine(partial);
      const c = code ?? 128;
      if ((opts.okCodes ?? [0]).includes(c)) return resolve({ code: c, stdout: out, stderr: err });
      if (LOCKED.test(err) && !opts.stdout) return reject(new LockedFailure(lastLines(err)));
      reject(resticFailure(args[0] ?? "", c, signal, err));
    });
  });
}

/** The agent's error for a failed restic run: its last lines, the repository's password never among them. */
export function resticFailure(command: string, code: number, signal: NodeJS.Signals | null, stderr: string): AgentFailure {
  const tail = lastLines(stderr) || `exit ${signal ?? code}`;
  if (/no such file or directory|repository does not exist|unable to open config file/i.test(stderr) && command !== "init") {
    return new AgentFailure("NOT_FOUND", `restic ${command}: the repository is not there: ${tail}`);
  }
  if (/no space left on device/i.test(stderr)) return new AgentFailure("LIMIT_EXCEEDED", `restic ${command}: the target is full: ${tail}`);
  if (/wrong password|no key found/i.test(stderr)) return new AgentFailure("KERNEL", `restic ${command}: the sealed password does not open the repository`);
  if (/connection|ssh|host key|subprocess/i.test(stderr)) return new AgentFailure("KERNEL", `restic ${command}: the target cannot be reached: ${tail}`);
  return new AgentFailure("KERNEL", `restic ${command} failed: ${tail}`);
}

/** restic's last error lines, joined. */
function lastLines(stderr: string): string {
  return stderr.trim().split("\n").filter((l) => l && !/^\s*$/.test(l)).slice(-4).join("; ");
}
