/**
 * Starts the host's network tools with an argv array and a script on stdin: never a
 * shell, never a command line built from strings. Binaries are looked up in the system
 * directories only (not $PATH), so an agent started with a strange PATH still runs the
 * host's own `ip`. Work inside a server's namespace goes through `nsenter --net=PATH`,
 * which enters the network namespace only: the binary comes from the host's tree.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { AgentFailure } from "../../errors";

/** The tools this module uses, and the Debian package of each. */
const packages = {
  ip: "iproute2",
  tc: "iproute2",
  nft: "nftables",
  sysctl: "procps",
  nsenter: "util-linux",
} as const;

/** A tool we run. */
export type Tool = keyof typeof packages;

const searchDirs = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];
// A fixed environment: nothing of the agent's own (tokens, NODE_OPTIONS) leaks into the
// tools, and LC_ALL=C keeps the messages we match (okIf) and show untranslated. NODE_ENV
// only because Next's typings make it a required key of ProcessEnv (undefined is skipped).
const toolEnv: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: searchDirs.join(":"), LC_ALL: "C" };
const resolved = new Map<Tool, string>();

/** Absolute path of a tool, or UNSUPPORTED naming the package to install. */
export function toolPath(tool: Tool): string {
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
}

/** A failed tool run: what ran and what it said. */
export interface ToolError {
  tool: Tool;
  args: string[];
  stderr: string;
  exitCode: number | null;
}

function describe(e: ToolError): string {
  const what = [e.tool, ...e.args].join(" ");
  return `${what} failed (exit ${e.exitCode ?? "signal"}): ${e.stderr.trim() || "no message"}`;
}

/**
 * Runs a tool and returns its stdout. Failures become AgentFailure KERNEL with the
 * tool's stderr in the message; `cause` carries the structured {@link ToolError}.
 */
export function runTool(tool: Tool, args: string[], options: RunOptions = {}): Promise<string> {
  let file = toolPath(tool);
  let argv = args;
  if (options.netns) {
    argv = [`--net=${options.netns}`, "--", file, ...args];
    file = toolPath("nsenter");
  }
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      argv,
      { encoding: "utf8", env: toolEnv, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if (options.okIf?.test(stderr)) return resolve(stdout);
        const code = typeof error.code === "number" ? error.code : null;
        const info: ToolError = { tool, args, stderr: String(stderr), exitCode: code };
        reject(new AgentFailure("KERNEL", describe(info), undefined, { cause: info }));
      },
    );
    child.stdin?.on("error", () => {
      // the tool may exit before reading all input; its exit status tells what happened
    });
    child.stdin?.end(options.input ?? "");
  });
}

/** Runs `ip -batch -` with the given script (nothing when empty). */
export async function ipBatchRun(script: string, netns?: string): Promise<void> {
  if (script) await runTool("ip", ["-batch", "-"], { input: script, netns });
}

/** Runs `nft -f -` (one transaction). */
export async function nftRun(script: string, okIf?: RegExp): Promise<void> {
  if (script) await runTool("nft", ["-f", "-"], { input: script, okIf });
}

/** Runs `tc -batch -`. */
export async function tcRun(script: string): Promise<void> {
  if (script) await runTool("tc", ["-batch", "-"], { input: script });
}
