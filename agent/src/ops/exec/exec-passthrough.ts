/**
 * `vserver NAME exec CMD…` and `vserver NAME enter` for the CLI: the caller's fds 0-2
 * go to vs-enter, which relays them (exec: through its own pipes, so the guest never
 * holds the caller's terminal; enter: a pty from the GUEST's devpts, the caller's
 * terminal set raw and resized on SIGWINCH). Resolves with the command's exit status.
 * A command the guest could not run (not found, not executable) is a BAD_REQUEST with
 * the field "command": the CLI exits 125 for it, as documented.
 */
import type { HostPaths } from "../../config/paths";
import { AgentFailure } from "../../errors";
import { encodeEnterSpec } from "../../kernel/launch/enter-spec";
import { DEFAULT_ENTER_ARGV } from "../../kernel/launch/enter-vserver";
import type { EnterCommand } from "../../kernel/launch/enter-spec";
import { HelperError } from "../../kernel/launch/helper-error";
import { spawnEnter } from "../../kernel/launch/spawn-enter";
import { openEnterTarget } from "../runtime/enter-target";

/** Runs `argv` (exec) or a login shell (enter) with the caller's stdio; `as` sets the
 * user, environment and directory inside (suexec); default root with the default env. */
export async function execPassthrough(paths: HostPaths, name: string, mode: "exec" | "pty", argv?: string[], as?: (root: string) => Omit<EnterCommand, "argv">): Promise<number> {
  const t = openEnterTarget(paths, name);
  try {
    const cmd: EnterCommand = { ...as?.(t.state.root), argv: argv ?? [...DEFAULT_ENTER_ARGV] };
    const p = spawnEnter(encodeEnterSpec(t.target, mode, cmd), [0, 1, 2], t.target.pidfd);
    // The relay owns the terminal now: let signals reach it, not kill us first.
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    process.on("SIGQUIT", ignore);
    try {
      return await p.done;
    } catch (e) {
      if (e instanceof HelperError) throw new AgentFailure(e.step === "exec" ? "BAD_REQUEST" : "KERNEL", `${mode} in "${name}": ${e.message}`, e.step === "exec" ? "command" : undefined);
      throw e;
    } finally {
      process.off("SIGINT", ignore);
      process.off("SIGQUIT", ignore);
    }
  } finally {
    t.close();
  }
}
