/** The REST API's response shapes (what billing modules are written against). */
import { z } from "zod";
import { roles } from "@/lib/auth/roles";
import { jobSnapshot } from "@/lib/protocol/realtime";

const date = z.date().transform((d) => d.toISOString());
const dateOrNull = z.date().nullable().transform((d) => (d ? d.toISOString() : null));

/** A customer. */
export const customerOut = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(roles),
  status: z.enum(["ACTIVE", "SUSPENDED"]),
  resellerId: z.string().nullable(),
  createdAt: date,
});

/** A plan. */
export const planOut = z.object({
  id: z.string(),
  name: z.string(),
  ownerId: z.string().nullable(),
  cpuMilli: z.number(),
  cpuMilliMax: z.number(),
  memoryMb: z.number(),
  memoryMbMax: z.number(),
  swapMb: z.number(),
  diskMb: z.number(),
  diskMbMax: z.number(),
  pids: z.number(),
  netRateMbit: z.number(),
  trafficGb: z.number(),
  ipv4Count: z.number(),
  ipv6Count: z.number(),
  ipv4Max: z.number(),
  ipv6Max: z.number(),
  customerSelectable: z.boolean(),
  priceCents: z.number(),
  currency: z.string(),
  archived: z.boolean(),
});

/** A job: the socket's snapshot of it (one list of fields) with its times. */
export const jobOut = jobSnapshot.extend({
  createdAt: date,
  finishedAt: dateOrNull,
});

/** A page of items. */
export function pageOut<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number(), pages: z.number() });
}

/** The id in a path. */
export const idParams = z.object({ id: z.string().min(1).max(64) });

/** No content. */
export const empty = z.object({});
