/** Tests: the AppError a domain call is refused with (fails the test when it is not refused, or not with an AppError). */
import assert from "node:assert/strict";
import { AppError } from "@/lib/errors";

/** Awaits `p` and returns the AppError it was refused with. */
export async function refusal(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, `expected a refusal, got ${String(error)}`);
  return error;
}
