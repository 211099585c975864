/** The one error type the panel sees from an agent call. */
import type { AgentErrorCode } from "@/lib/protocol";

/** A failed agent call: what went wrong, where to look in the agent's log (requestId). */
export class AgentError extends Error {
  override readonly name = "AgentError";
  constructor(
    readonly code: AgentErrorCode | "UNREACHABLE" | "BAD_RESPONSE",
    message: string,
    readonly requestId: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}
