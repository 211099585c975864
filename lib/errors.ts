/**
 * The panel's one error type. `code` is a closed set that maps to an HTTP status;
 * `message` is safe to show to the user; `field` names the input that was wrong.
 */
import { CodedError } from "./coded-error";

/** Every error code the panel uses. */
export const appErrorCodes = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 422,
  RATE_LIMITED: 429,
  AGENT_FAILED: 502,
  HOST_OFFLINE: 503,
  INTERNAL: 500,
} as const;

/** One of the codes above. */
export type AppErrorCode = keyof typeof appErrorCodes;

/** A failure meant for the user (or API client). */
export class AppError extends CodedError<AppErrorCode> {
  override readonly name = "AppError";

  /** The HTTP status of this error. */
  get status(): number {
    return appErrorCodes[this.code];
  }
}

/** The 404 used for anything the caller may not see (never reveal that it exists). */
export function notFound(what = "Not found"): AppError {
  return new AppError("NOT_FOUND", what);
}
