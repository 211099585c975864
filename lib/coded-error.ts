/**
 * The one shape of an expected failure, on both sides of the wire: a code from a closed
 * enum, a message for humans and, when one input field was wrong, that field's name.
 * The panel's AppError and the agent's AgentFailure are this with their own code lists.
 */

/** An error with a code of `C` and, optionally, the input field it is about. */
export class CodedError<C extends string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    /** The input field that was wrong, when one was. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
