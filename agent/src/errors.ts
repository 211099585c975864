/** The agent's one error type: a code from the wire contract and a message for humans. */
import type { AgentErrorCode } from "@/lib/protocol";

/** A failure the agent reports to its caller (CLI or panel). */
export class AgentFailure extends Error {
  override readonly name = "AgentFailure";
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    /** The input field that was wrong, when one was. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Shorthand for a BAD_REQUEST naming the field. */
export function badInput(field: string, message: string): AgentFailure {
  return new AgentFailure("BAD_REQUEST", `${field}: ${message}`, field);
}
