/** REST operations on usage: a server's traffic per billing month, for billing systems. */
import { z } from "zod";
import { readServerTraffic } from "@/lib/server/usage/read-server-traffic";
import { defineOperation } from "./define";
import { idParams } from "./schemas";

const month = z.object({ periodStart: z.string(), periodEnd: z.string(), rxBytes: z.number(), txBytes: z.number(), totalBytes: z.number() });

/** The operations. */
export const usageApiOperations = [
  defineOperation({
    method: "GET",
    path: "/servers/{id}/traffic",
    operationId: "getServerTraffic",
    summary:
      "The server's traffic per billing month (the month starts on the admin's day, 00:00 UTC): bytes received (rx), sent (tx) and both, for the current month and up to eleven before, with the plan's monthly transfer (both directions, GB of 10^9 bytes) and its over-quota policy.",
    tag: "servers",
    params: idParams,
    status: 200,
    response: z.object({ serverId: z.string(), quotaBytes: z.number().nullable(), overQuotaPolicy: z.string(), current: month, months: z.array(month) }),
    handler: ({ db, actor, params }) => readServerTraffic(db, actor, params.id),
  }),
];
