/** The agent's one error type: a code from the wire contract and a message for humans. */
import { CodedError } from "@/lib/coded-error";
import type { AgentErrorCode } from "@/lib/protocol";

/** A failure the agent reports to its caller (CLI or panel). */
export class AgentFailure extends CodedError<AgentErrorCode> {
  override readonly name = "AgentFailure";
}

/** Shorthand for a BAD_REQUEST naming the field. */
export function badInput(field: string, message: string): AgentFailure {
  return new AgentFailure("BAD_REQUEST", `${field}: ${message}`, field);
}
