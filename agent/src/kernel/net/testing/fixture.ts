/**
 * Test fixture for root network tests: namespaces that stand in for vservers, commands
 * inside them, and a cleanup list that runs in `after` also when an assertion failed.
 * Every name starts with "vst" so that a leak is easy to spot. Traffic only ever goes to
 * addresses inside these namespaces (plus the host side of their veths); `guardRoutes`
 * makes the test subnets unreachable on the host so that even a broken filter cannot send
 * a reply out of the host's uplink.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** Result of a command that may fail. */
export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs argv (no shell), never throws. `cwd` matters for `node --import tsx`. */
export function run(argv: string[], input?: string, cwd?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = execFile(argv[0]!, argv.slice(1), { encoding: "utf8", maxBuffer: 16 * 1024 * 1024, cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.on("error", () => undefined); // tools that never read stdin may exit first
    child.stdin?.end(input ?? "");
  });
}

/** Runs argv and throws with its stderr when it fails. */
export async function must(argv: string[], input?: string): Promise<string> {
  const r = await run(argv, input);
  if (r.code !== 0) throw new Error(`${argv.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The repository root (for `node --import tsx` in namespaces). */
export const repoRoot = path.resolve(import.meta.dirname, "../../../../..");

/** A random ctx in 50000..64999, spaced so a test can use base+0..base+9. */
export function randomCtxBase(): number {
  return 50000 + 10 * Math.floor(Math.random() * 1500);
}

/** Collects cleanups and runs them newest first, each one even if others fail. */
export class Fixture {
  readonly tag = `vst${randomBytes(3).toString("hex")}`;
  private readonly cleanups: { label: string; fn: () => Promise<unknown> | unknown }[] = [];
  private readonly children: ChildProcess[] = [];

  /** Registers a cleanup. */
  defer(label: string, fn: () => Promise<unknown> | unknown): void {
    this.cleanups.push({ label, fn });
  }

  /** Runs all cleanups; returns what failed (tests assert it is empty). */
  async cleanup(): Promise<string[]> {
    const failed: string[] = [];
    while (this.cleanups.length) {
      const c = this.cleanups.pop()!;
      try {
        await c.fn();
      } catch (error) {
        failed.push(`${c.label}: ${String(error)}`);
      }
    }
    return failed;
  }

  /** A temp dir used as VSERVER_RUNDIR (state files). */
  async runDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), `${this.tag}-run-`));
    this.defer(`rm ${dir}`, () => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** `ip netns add` a namespace; returns its name and path. */
  async netns(suffix: string): Promise<{ name: string; path: string }> {
    const name = `${this.tag}-${suffix}`;
    await must(["ip", "netns", "add", name]);
    this.defer(`netns ${name}`, () => must(["ip", "netns", "del", name]));
    return { name, path: `/run/netns/${name}` };
  }

  /**
   * A process in a new network namespace (`unshare --net sleep`), as the engine's start
   * helper would hand us the init's pid. Killed in cleanup.
   */
  async pidNetns(): Promise<{ pid: number; path: string; kill: () => Promise<void> }> {
    const child = spawn("unshare", ["--net", "sleep", "3600"], { stdio: "ignore" });
    this.children.push(child);
    const pid = child.pid;
    if (!pid) throw new Error("unshare did not start");
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const kill = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    };
    this.defer(`kill ${pid}`, kill);
    // Wait until unshare has exec'd sleep in the new namespace.
    const hostNs = await must(["readlink", "/proc/self/ns/net"]);
    for (let i = 0; i < 200; i++) {
      const r = await run(["readlink", `/proc/${pid}/ns/net`]);
      if (r.code === 0 && r.stdout !== hostNs) break;
      await sleep(10);
    }
    return { pid, path: `/proc/${pid}/ns/net`, kill };
  }

  /**
   * Makes the test subnets unreachable on the host (test-owned routes, removed in
   * cleanup): more specific guest routes still win, anything else never leaves the host.
   */
  async guardRoutes(...prefixes: string[]): Promise<void> {
    for (const p of prefixes) {
      const family = p.includes(":") ? "-6" : "-4";
      await must(["ip", family, "route", "replace", "unreachable", p]);
      this.defer(`route ${p}`, () => must(["ip", family, "route", "del", "unreachable", p]));
    }
  }
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs argv inside a namespace given by path. */
export function inNs(nsPath: string, argv: string[], input?: string): Promise<Outcome> {
  return run(["nsenter", `--net=${nsPath}`, "--", ...argv], input);
}

/** One ping from inside a namespace (optionally from a given source); true on a reply. */
export async function ping(nsPath: string, target: string, from?: string): Promise<boolean> {
  const argv = ["ping", "-n", "-q", "-c", "1", "-W", "1", ...(from ? ["-I", from] : []), target];
  return (await inNs(nsPath, argv)).code === 0;
}

/** One ping from the host itself. */
export async function pingFromHost(target: string): Promise<boolean> {
  return (await run(["ping", "-n", "-q", "-c", "1", "-W", "1", target])).code === 0;
}

/** Starts `node --import tsx script args` inside a namespace. */
export function spawnNodeInNs(nsPath: string, script: string, args: string[]): ChildProcess {
  return spawn("nsenter", [`--net=${nsPath}`, "--", process.execPath, "--import", "tsx", script, ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Collects a child's stdout and waits for its exit. */
export function finished(child: ChildProcess): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code: code ?? 1, stdout, stderr })));
}
