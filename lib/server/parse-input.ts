/** Parses untrusted input with a schema into an AppError that names the field. */
import type { z } from "zod";
import { AppError } from "@/lib/errors";

/** Parses `raw` or throws BAD_REQUEST with the first issue's field and message. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  throw new AppError("BAD_REQUEST", field ? `${field}: ${issue?.message}` : (issue?.message ?? "invalid input"), field);
}
