/**
 * The ranges a graph offers (hour, day, week, month, year) and a custom one, as the
 * Unix-second span the agent's history answers for. A custom range must lie within the
 * two years the history keeps.
 */
import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Named ranges and their length in seconds: each a little inside the tier that should
 * answer it (10 s tier: one hour; 30 min tier: 31 days), since RRDtool answers a range
 * its finest tier does not wholly cover from the next coarser one.
 */
export const namedRanges = { hour: 3600 - 30, day: 86400, week: 7 * 86400, month: 30 * 86400, year: 365 * 86400 } as const;

/** One of {@link namedRanges}. */
export type RangeName = keyof typeof namedRanges;

/** The query of a history request: `range=day`, or `from`/`to` in Unix seconds. */
export const historyQuery = z.object({
  range: z.enum(Object.keys(namedRanges) as [RangeName, ...RangeName[]]).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
});

/** The span of a query; BAD_REQUEST naming the field when it is not one. */
export function spanOf(q: z.output<typeof historyQuery>, nowSec = Math.floor(Date.now() / 1000)): { from: number; to: number } {
  if (q.from !== undefined || q.to !== undefined) {
    if (q.from === undefined || q.to === undefined) throw new AppError("BAD_REQUEST", "from and to: give both, in Unix seconds", q.from === undefined ? "from" : "to");
    if (q.to <= q.from) throw new AppError("BAD_REQUEST", "to: must be after from", "to");
    if (q.from < nowSec - 2 * 366 * 86400) throw new AppError("BAD_REQUEST", "from: the history keeps two years", "from");
    return { from: q.from, to: Math.min(q.to, nowSec) };
  }
  return { from: nowSec - namedRanges[q.range ?? "day"], to: nowSec };
}

/** The span a usage request's query asks for (`range`, or `from`/`to`); a BAD_REQUEST
 * naming the first wrong field otherwise. */
export function spanOfQuery(params: Record<string, string>): { from: number; to: number } {
  const q = historyQuery.safeParse(params);
  if (!q.success) throw new AppError("BAD_REQUEST", `${q.error.issues[0]?.path.join(".")}: ${q.error.issues[0]?.message}`, String(q.error.issues[0]?.path[0] ?? ""));
  return spanOf(q.data);
}
