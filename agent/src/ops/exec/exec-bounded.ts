/**
 * `execInVserver` for the API: a non-interactive command with its output capped and
 * its time bounded. On timeout the command (and vs-enter) are killed; output beyond
 * the cap is dropped and reported as truncated.
 */
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { HelperError } from "../../kernel/launch/helper-error";
import { killOnTimeout } from "../../kernel/launch/kill-on-timeout";
import { runInVserver } from "../../kernel/launch/run-in-vserver";
import { openEnterTarget } from "../runtime/enter-target";

/** Input of {@link execBounded}. */
export interface BoundedExec {
  argv: string[];
  stdin?: string;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** Result of {@link execBounded}. */
export interface BoundedResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

/** Runs `argv` in the running server `name`. */
export async function execBounded(paths: HostPaths, name: string, x: BoundedExec): Promise<BoundedResult> {
  const t = openEnterTarget(paths, name);
  try {
    const p = runInVserver(t.target, { argv: x.argv });
    let used = 0;
    let truncated = false;
    const collect = (into: Buffer[]) => (b: Buffer) => {
      const room = x.maxOutputBytes - used;
      if (b.length > room) truncated = true;
      const part = b.length > room ? b.subarray(0, Math.max(0, room)) : b;
      used += part.length;
      if (part.length) into.push(part);
    };
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on("data", collect(out));
    p.stderr.on("data", collect(err));
    p.stdin.end(x.stdin ?? "");
    const bound = killOnTimeout(p, x.timeoutMs);
    let exitCode: number;
    try {
      exitCode = await p.done;
    } catch (e) {
      if (bound.timedOut()) exitCode = 137;
      else if (e instanceof HelperError) throw new AgentFailure(e.step === "exec" ? "BAD_REQUEST" : "KERNEL", `exec in "${name}": ${e.message}`, e.step === "exec" ? "argv" : undefined);
      else throw e;
    } finally {
      bound.clear();
    }
    return { exitCode, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), truncated, timedOut: bound.timedOut() };
  } finally {
    t.close();
  }
}
