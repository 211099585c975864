/**
 * Exit codes of the CLI tools (util-vserver keeps `status` 0 = running, 3 = stopped).
 * `exec`, `run` and `enter` exit with the command's own status instead (vs-enter: 125
 * when it could not run the command).
 */
import type { AgentErrorCode } from "@/lib/protocol/errors";

/** The codes. */
export const EXIT = {
  OK: 0,
  /** The operation failed (kernel, unsupported, internal). */
  FAILED: 1,
  /** Bad usage or input: nothing was changed. */
  USAGE: 2,
  /** `status`: the server is stopped. */
  STOPPED: 3,
  /** No such vserver (or operation/address). */
  NOT_FOUND: 4,
  /** Wrong state: starting a running server, exec into a stopped one, deleting a running one. */
  WRONG_STATE: 5,
  /** Taken: the name, context id or address belongs to another server. */
  CONFLICT: 6,
  /** Another operation holds the server's lock. */
  BUSY: 7,
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
export const EXIT_HELP = `Exit status: 0 ok, 1 failed, 2 bad usage or input (nothing changed), 3 stopped (status),
4 no such vserver, 5 wrong state (running/stopped), 6 conflict (name, context or address taken),
7 busy (locked by another operation); exec, run and enter exit with the command's status.`;
