/**
 * Runs e2fsprogs and util-linux tools with an argv array: never a shell, never a command
 * line built from strings. Binaries come from the system directories only (not $PATH)
 * and get a fixed environment, so nothing of the agent's (tokens, NODE_OPTIONS) leaks in
 * and LC_ALL=C keeps the messages we match untranslated.
 */
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { AgentFailure } from "../../errors";

/** The tools this module runs, and the Debian package of each. */
const packages = {
  "mkfs.ext4": "e2fsprogs",
  resize2fs: "e2fsprogs",
  e2fsck: "e2fsprogs",
  dumpe2fs: "e2fsprogs",
  losetup: "util-linux",
  mount: "mount",
  umount: "mount",
} as const;

/** A tool we run. */
export type DiskTool = keyof typeof packages;

const searchDirs = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];
// NODE_ENV only because Next's typings make it a required key of ProcessEnv.
const toolEnv: NodeJS.ProcessEnv = { NODE_ENV: process.env.NODE_ENV, PATH: searchDirs.join(":"), LC_ALL: "C" };
const resolved = new Map<DiskTool, string>();

/** Absolute path of a tool, or UNSUPPORTED naming the package to install. */
export function diskToolPath(tool: DiskTool): string {
  const cached = resolved.get(tool);
  if (cached) return cached;
  for (const dir of searchDirs) {
    try {
      accessSync(`${dir}/${tool}`, constants.X_OK);
      resolved.set(tool, `${dir}/${tool}`);
      return `${dir}/${tool}`;
    } catch {
      // not in this directory
    }
  }
  throw new AgentFailure("UNSUPPORTED", `${tool} not found; install the Debian package ${packages[tool]}`);
}

/** A failed run, kept as the `cause` of the AgentFailure so callers can map it. */
export interface DiskToolError {
  tool: DiskTool;
  args: string[];
  stderr: string;
  exitCode: number | null;
}

/** What a run printed. */
export interface ToolOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The structured failure of a tool run, if `e` is one. */
export function toolErrorOf(e: unknown): DiskToolError | undefined {
  const cause = e instanceof AgentFailure ? (e.cause as Partial<DiskToolError> | undefined) : undefined;
  return cause && typeof cause.tool === "string" && typeof cause.stderr === "string" ? (cause as DiskToolError) : undefined;
}

/**
 * Runs a tool; exit codes in `okExit` (default [0]) count as success. Failures become
 * AgentFailure KERNEL with the tool's own message; `cause` is a {@link DiskToolError}.
 */
export function runDiskTool(tool: DiskTool, args: string[], okExit: readonly number[] = [0]): Promise<ToolOutput> {
  const file = diskToolPath(tool);
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: "utf8", env: toolEnv, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
      if (exitCode !== null && okExit.includes(exitCode)) return resolve({ stdout, stderr, exitCode });
      const info: DiskToolError = { tool, args, stderr: String(stderr), exitCode };
      const said = (info.stderr.trim() || String(stdout).trim() || error?.message || "no message").split("\n").slice(-3).join(" / ");
      reject(new AgentFailure("KERNEL", `${[tool, ...args].join(" ")} failed (exit ${exitCode ?? "signal"}): ${said}`, undefined, { cause: info }));
    });
  });
}
