/**
 * Exit codes of the CLI tools, as util-vserver's: `status` 0 = running, 3 = stopped,
 * 5 = no such vserver. `exec`, `run` and `enter` exit with the command's own status
 * instead, and 125 when the command could not be run at all (not found, not executable:
 * the guest's exec failed), so a command's own 126/127 stay its own.
 * docs/cli.md has the table; keep both in step.
 */
import type { AgentErrorCode } from "@/lib/protocol/errors";

/** The codes. */
export const EXIT = {
  OK: 0,
  /** The operation failed (kernel, unsupported, internal); also `running` for "not running". */
  FAILED: 1,
  /** Bad usage or input: nothing was changed. */
  USAGE: 2,
  /** `status`: the server is stopped. */
  STOPPED: 3,
  /** Wrong state: starting a running server, exec into a stopped one, deleting a running one. */
  WRONG_STATE: 4,
  /** No such vserver (or operation/address/template): util-vserver's code. */
  NOT_FOUND: 5,
  /** Taken: the name, context id or address belongs to another server. */
  CONFLICT: 6,
  /** Another operation holds the server's lock. */
  BUSY: 7,
  /** `exec`/`run`/`suexec`: the command could not be run inside (not found, not executable). */
  CANNOT_RUN: 125,
} as const;

/** The exit code for an error code. */
export function exitCodeOf(code: AgentErrorCode): number {
  switch (code) {
    case "BAD_REQUEST":
      return EXIT.USAGE;
    case "NOT_FOUND":
      return EXIT.NOT_FOUND;
    case "WRONG_STATE":
      return EXIT.WRONG_STATE;
    case "CONFLICT":
      return EXIT.CONFLICT;
    case "BUSY":
      return EXIT.BUSY;
    default:
      return EXIT.FAILED;
  }
}

/** The table for `--help` texts. */
export const EXIT_HELP = `Exit status: 0 ok, 1 failed (running: not running), 2 bad usage or input (nothing
changed), 3 stopped (status), 4 wrong state (running/stopped), 5 no such vserver,
6 conflict (name, context or address taken), 7 busy (locked by another operation);
exec, run, suexec and enter exit with the command's status, 125 if it could not be run.`;
