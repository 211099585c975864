/** Plan input: each slider resource has a default and a maximum (default ≤ maximum). */
import { z } from "zod";

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/**
 * A field where 0 means unlimited. Left out, it is unlimited on a house plan and the
 * most the admin allows on a reseller's plan (lib/server/resellers/plan-bounds.ts), so
 * it has no schema default: createPlan decides.
 */
const orUnlimited = (max: number) => int(0, max).optional().describe("0 = unlimited; left out: unlimited, or on a reseller's plan the most its provider allows");

const planBase = z
  .object({
    name: z.string().trim().min(1, "is required").max(100),
    cpuMilli: int(10, 1_000_000),
    cpuMilliMax: int(10, 1_000_000),
    cpuWeight: int(1, 10000).default(100),
    memoryMb: int(16, 10_000_000),
    memoryMbMax: int(16, 10_000_000),
    swapMb: int(0, 10_000_000).default(0),
    swapMbMax: int(0, 10_000_000).default(0),
    diskMb: int(16, 1_000_000_000),
    diskMbMax: int(16, 1_000_000_000),
    inodes: orUnlimited(2_000_000_000),
    pids: int(16, 4_000_000),
    pidsMax: int(16, 4_000_000),
    ioReadBps: orUnlimited(2_000_000_000),
    ioWriteBps: orUnlimited(2_000_000_000),
    ioReadIops: orUnlimited(10_000_000),
    ioWriteIops: orUnlimited(10_000_000),
    netRateMbit: orUnlimited(1_000_000),
    trafficGb: orUnlimited(100_000_000),
    /** Past the monthly transfer: nothing, throttle to `overQuotaMbit`, or suspend. */
    overQuotaPolicy: z.enum(["NONE", "THROTTLE", "SUSPEND"]).default("NONE"),
    overQuotaMbit: int(1, 1_000_000).default(1),
    ipv4Count: int(0, 256).default(1),
    ipv6Count: int(0, 256).default(0),
    /** Addresses a server may have in all (extra ones are added on its page or by the API). */
    ipv4Max: int(0, 256).default(1),
    ipv6Max: int(0, 256).default(1),
    /** Customers may move their own servers to this plan without asking. */
    customerSelectable: z.boolean().default(false),
    /** Backups (issue 14): on-demand backups a server may keep at once. */
    backupSlots: int(0, 1000).default(3),
    /** Scheduled backups: none, daily or weekly (on `backupWeekday`, 0 = Sunday) at `backupTime` UTC. */
    backupSchedule: z.enum(["NONE", "DAILY", "WEEKLY"]).default("NONE"),
    backupTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM").default("03:00"),
    backupWeekday: int(0, 6).default(0),
    /** Retention of scheduled backups. */
    keepDaily: int(0, 1000).default(7),
    keepWeekly: int(0, 1000).default(4),
    keepMonthly: int(0, 1000).default(0),
    priceCents: int(0, 100_000_000).default(0),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be a 3-letter currency code").default("EUR"),
  })
  .strict();

/** The slider resources of a plan: each value and the field holding its maximum. */
export const sliderPairs = [
  ["cpuMilli", "cpuMilliMax"],
  ["memoryMb", "memoryMbMax"],
  ["swapMb", "swapMbMax"],
  ["diskMb", "diskMbMax"],
  ["pids", "pidsMax"],
] as const;
/** Each address count and its maximum. */
const addressPairs = [
  ["ipv4Count", "ipv4Max"],
  ["ipv6Count", "ipv6Max"],
] as const;
const pairs = [...sliderPairs, ...addressPairs];

/** A plan that says how many addresses it comes with but not its maximum may have that many. */
function defaultAddressMaxima(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const o = { ...(raw as Record<string, unknown>) };
  for (const [count, max] of addressPairs) if (o[max] === undefined && typeof o[count] === "number") o[max] = Math.max(o[count] as number, 1);
  return o;
}

/** Input of createPlan. */
export const createPlanInput = z.preprocess(defaultAddressMaxima, planBase).superRefine((p, ctx) => {
  for (const [value, max] of pairs) {
    if (p[value] > p[max]) ctx.addIssue({ code: "custom", path: [value], message: `must not exceed the maximum (${p[max]})` });
  }
});

/** Parsed plan input. */
export type PlanInput = z.infer<typeof createPlanInput>;

/** Checks default ≤ maximum after a partial update merged with the stored plan. */
export function checkPlanPairs(p: Record<(typeof pairs)[number][number], number>): { field: string; message: string } | null {
  for (const [value, max] of pairs) {
    if (p[value] > p[max]) return { field: value, message: `must not exceed the maximum (${p[max]})` };
  }
  return null;
}

/** Input of updatePlan: any subset of fields. */
export const updatePlanInput = planBase.partial().extend({ archived: z.boolean().optional() }).strict();
