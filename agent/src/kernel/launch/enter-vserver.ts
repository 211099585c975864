/**
 * `vserver NAME enter`: an interactive shell on a pty from the GUEST's devpts. vs-enter
 * relays between its own stdin/stdout and the guest's pty master from outside the
 * guest's pid namespace, so the guest never holds a host terminal.
 */
import type { EnterCommand, EnterTarget } from "./enter-spec";
import { encodeEnterSpec } from "./enter-spec";
import { spawnEnter, type EnterProcess, type EnterStdio } from "./spawn-enter";

/** Default shell command for enter. */
export const DEFAULT_ENTER_ARGV: readonly string[] = Object.freeze(["/bin/sh", "-l"]);

/**
 * Starts a pty session. `stdio` defaults to pipes (stream them to xterm over socket.io);
 * pass fds of a host pty (node-pty, the admin's terminal) to relay a real terminal: the
 * relay sets it raw and forwards window size changes on SIGWINCH.
 */
export function enterVserver(
  target: EnterTarget,
  cmd: Partial<EnterCommand> = {},
  stdio: EnterStdio = ["pipe", "pipe", "pipe"],
): EnterProcess {
  const full: EnterCommand = { ...cmd, argv: cmd.argv ?? [...DEFAULT_ENTER_ARGV] };
  return spawnEnter(encodeEnterSpec(target, "pty", full), stdio, target.pidfd);
}

/** The spec bytes for a pty session, for callers that spawn vs-enter themselves with
 * `--spec-file` (node-pty cannot pass extra fds). Write it to a 0600 file of the agent. */
export function ptySpecForFile(target: Omit<EnterTarget, "pidfd">, cmd: Partial<EnterCommand> = {}): Buffer {
  return encodeEnterSpec(target, "pty", { ...cmd, argv: cmd.argv ?? [...DEFAULT_ENTER_ARGV] });
}
