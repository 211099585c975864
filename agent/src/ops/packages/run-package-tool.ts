/**
 * `vapt-get NAME -- ARGS…` / `vrpm NAME -- ARGS…` (the caller's stdio relayed by
 * vs-enter's pipes; the guest never holds the caller's terminal) and the streaming form
 * the API's updatePackages uses (each output line to a callback as it comes). The
 * server must be running; its package manager runs inside it.
 */
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { encodeEnterSpec } from "../../kernel/launch/enter-spec";
import { HelperError } from "../../kernel/launch/helper-error";
import { killOnTimeout } from "../../kernel/launch/kill-on-timeout";
import { runInVserver } from "../../kernel/launch/run-in-vserver";
import { spawnEnter } from "../../kernel/launch/spawn-enter";
import { openEnterTarget } from "../runtime/enter-target";
import { packageCommand, type PackageTool } from "./guest-package-manager";

function helperFailure(name: string, tool: string, e: unknown): unknown {
  if (!(e instanceof HelperError)) return e;
  if (e.step === "exec") return new AgentFailure("UNSUPPORTED", `vserver "${name}" has no ${tool} (${e.code}): it is not a ${tool === "apt-get" ? "Debian/Ubuntu" : "RPM"} system`, "name");
  return new AgentFailure("KERNEL", `${tool} in "${name}": ${e.message}`);
}

/** Runs `tool ARGS…` in `name` with the caller's fds 0-2; resolves with its exit status. */
export async function runPackageToolPassthrough(paths: HostPaths, name: string, tool: PackageTool, args: readonly string[]): Promise<number> {
  const t = openEnterTarget(paths, name);
  try {
    const p = spawnEnter(encodeEnterSpec(t.target, "exec", packageCommand(tool, args)), [0, 1, 2], t.target.pidfd);
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    try {
      return await p.done;
    } catch (e) {
      throw helperFailure(name, tool, e);
    } finally {
      process.off("SIGINT", ignore);
    }
  } finally {
    t.close();
  }
}

/** Options of {@link runPackageToolStreaming}. */
export interface StreamOptions {
  onLine: (line: string, stream: "stdout" | "stderr") => void;
  timeoutMs?: number;
}

/** Runs `tool ARGS…` in `name`, each output line to `onLine`; resolves with the exit status. */
export async function runPackageToolStreaming(paths: HostPaths, name: string, tool: PackageTool, args: readonly string[], opts: StreamOptions): Promise<number> {
  const t = openEnterTarget(paths, name);
  try {
    const p = runInVserver(t.target, packageCommand(tool, args));
    const lines = (stream: "stdout" | "stderr") => {
      let rest = "";
      return (b: Buffer) => {
        const parts = (rest + b.toString("utf8")).split(/\r?\n|\r/);
        rest = parts.pop() ?? "";
        for (const l of parts) if (l.trim()) opts.onLine(l, stream);
      };
    };
    p.stdout.on("data", lines("stdout"));
    p.stderr.on("data", lines("stderr"));
    p.stdin.end();
    const bound = killOnTimeout(p, opts.timeoutMs ?? 3_600_000);
    try {
      return await p.done;
    } catch (e) {
      if (bound.timedOut()) throw new AgentFailure("INTERNAL", `${tool} in "${name}" timed out`);
      throw helperFailure(name, tool, e);
    } finally {
      bound.clear();
    }
  } finally {
    t.close();
  }
}
