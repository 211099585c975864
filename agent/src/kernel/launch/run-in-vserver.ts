/**
 * `vserver NAME exec`: runs a command in a running vserver with plain pipes (vs-enter
 * passthrough mode). The command never sees a host tty: vs-enter refuses one.
 */
import type { Readable, Writable } from "node:stream";
import type { EnterCommand, EnterTarget } from "./enter-spec";
import { encodeEnterSpec } from "./enter-spec";
import { spawnEnter, type EnterProcess } from "./spawn-enter";

/** A streaming command: write to stdin, read stdout/stderr, await `done`. */
export interface RunningCommand extends EnterProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
}

/** Starts `cmd` inside `target` with piped stdio. */
export function runInVserver(target: EnterTarget, cmd: EnterCommand): RunningCommand {
  const p = spawnEnter(encodeEnterSpec(target, "exec", cmd), ["pipe", "pipe", "pipe"], target.pidfd);
  const { stdin, stdout, stderr } = p.child;
  if (!stdin || !stdout || !stderr) throw new Error("vs-enter: stdio pipes missing");
  stdin.on("error", () => {});
  return { ...p, stdin, stdout, stderr };
}

/** Output of {@link execInVserver}. */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cmd` to completion, feeding `input`, and collects its output (UTF-8). */
export async function execInVserver(target: EnterTarget, cmd: EnterCommand, input = ""): Promise<ExecResult> {
  const p = runInVserver(target, cmd);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  p.stdout.on("data", (b: Buffer) => out.push(b));
  p.stderr.on("data", (b: Buffer) => err.push(b));
  p.stdin.end(input);
  const code = await p.done;
  return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
}
