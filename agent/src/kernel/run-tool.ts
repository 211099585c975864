/**
 * Runs the host's tools (iproute2, nftables, e2fsprogs, util-linux, …) with an argv array
 * and optionally a script on stdin: never a shell, never a command line built from
 * strings. Binaries come from the system directories only (not $PATH), so an agent
 * started with a strange PATH still runs the host's own tools, and get a fixed
 * environment, so nothing of the agent's (tokens, NODE_OPTIONS) leaks in and LC_ALL=C
 * keeps the messages we match untranslated. Work inside a server's network namespace goes
 * through `nsenter --net=PATH`, which enters that namespace only: the binary is the host's.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { AgentFailure } from "../errors";

/** The tools the kernel layer runs, and the Debian package of each. */
const packages = {
  ip: "iproute2",
  tc: "iproute2",
  nft: "nftables",
  sysctl: "procps",
  nsenter: "util-linux",
  "mkfs.ext4": "e2fsprogs",
  resize2fs: "e2fsprogs",
  e2fsck: "e2fsprogs",
  dumpe2fs: "e2fsprogs",
  losetup: "util-linux",
  mount: "mount",
  umount: "mount",
} as const;

/** A tool we run. */
export type HostTool = keyof typeof packages;

const searchDirs = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];
// NODE_ENV only because Next's typings make it a required key of ProcessEnv (undefined is skipped).
const toolEnv: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: searchDirs.join(":"), LC_ALL: "C" };
const resolved = new Map<HostTool, string>();

/** Absolute path of a tool, or UNSUPPORTED naming the package to install. */
export function toolPath(tool: HostTool): string {
  const cached = resolved.get(tool);
  if (cached) return cached;
  for (const dir of searchDirs) {
    const candidate = `${dir}/${tool}`;
    try {
      accessSync(candidate, constants.X_OK);
      resolved.set(tool, candidate);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new AgentFailure("UNSUPPORTED", `${tool} not found; install the Debian package ${packages[tool]}`);
}

/** Options of {@link runTool}. */
export interface RunOptions {
  /** Written to the tool's stdin (for `-batch -` / `-f -`). */
  input?: string;
  /** Run inside this network namespace (path), through nsenter. */
  netns?: string;
  /** A failure whose stderr matches counts as success (e.g. "does not exist" on delete). */
  okIf?: RegExp;
  /** Exit codes that count as success (default [0]; e2fsck's 1 means "fixed"). */
  okExit?: readonly number[];
}

/** A failed run, kept as the `cause` of the AgentFailure so callers can map it. */
export interface ToolError {
  tool: HostTool;
  args: string[];
  stderr: string;
  exitCode: number | null;
}

/** What a run printed, and its exit code (-1 for a failure `okIf` accepted after a signal). */
export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The structured failure of a tool run, if `e` is one. */
export function toolErrorOf(e: unknown): ToolError | undefined {
  const cause = e instanceof AgentFailure ? (e.cause as Partial<ToolError> | undefined) : undefined;
  return cause && typeof cause.tool === "string" && typeof cause.stderr === "string" ? (cause as ToolError) : undefined;
}

/**
 * Runs a tool. Failures become AgentFailure KERNEL with the tool's own last lines in the
 * message; `cause` carries the structured {@link ToolError}.
 */
export function runTool(tool: HostTool, args: string[], options: RunOptions = {}): Promise<ToolOutput> {
  let file = toolPath(tool);
  let argv = args;
  if (options.netns) {
    argv = [`--net=${options.netns}`, "--", file, ...args];
    file = toolPath("nsenter");
  }
  const okExit = options.okExit ?? [0];
  return new Promise((resolve, reject) => {
    const child = execFile(file, argv, { encoding: "utf8", env: toolEnv, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
      if (exitCode !== null && okExit.includes(exitCode)) return resolve({ stdout, stderr, exitCode });
      if (options.okIf?.test(stderr)) return resolve({ stdout, stderr, exitCode: exitCode ?? -1 });
      const info: ToolError = { tool, args, stderr: String(stderr), exitCode };
      const said = (info.stderr.trim() || String(stdout).trim() || error?.message || "no message").split("\n").slice(-3).join(" / ");
      reject(new AgentFailure("KERNEL", `${[tool, ...args].join(" ")} failed (exit ${exitCode ?? "signal"}): ${said}`, undefined, { cause: info }));
    });
    child.stdin?.on("error", () => {
      // the tool may exit before reading all input; its exit status tells what happened
    });
    child.stdin?.end(options.input ?? "");
  });
}
