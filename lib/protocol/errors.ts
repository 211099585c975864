/**
 * The closed set of error codes that cross the panel/agent wire, with the HTTP status
 * each maps to. The UI shows `message`; `code` is for programs.
 */
import { z } from "zod";

/** Every error code an agent may answer with. */
export const agentErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "NOT_FOUND",
  "CONFLICT",
  "WRONG_STATE",
  "LIMIT_EXCEEDED",
  "BUSY",
  "UNSUPPORTED",
  "KERNEL",
  "INTERNAL",
] as const;

/** One of {@link agentErrorCodes}. */
export type AgentErrorCode = (typeof agentErrorCodes)[number];

/** HTTP status for each code. */
export const agentErrorStatus: Record<AgentErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  WRONG_STATE: 409,
  LIMIT_EXCEEDED: 422,
  BUSY: 423,
  UNSUPPORTED: 501,
  KERNEL: 500,
  INTERNAL: 500,
};

/** The error body an agent sends. `field` names the input that was wrong, if one was. */
export const agentErrorBody = z.object({
  ok: z.literal(false),
  error: z.object({
    code: z.enum(agentErrorCodes),
    message: z.string(),
    field: z.string().optional(),
    requestId: z.string().optional(),
  }),
});

/** Parsed form of {@link agentErrorBody}. */
export type AgentErrorBody = z.infer<typeof agentErrorBody>;
