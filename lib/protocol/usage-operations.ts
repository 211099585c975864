/**
 * The usage-history operations of the agent API (merged into `operations`): the panel
 * asks for series and samples here and never reads a host's files itself.
 */
import { z } from "zod";
import { vserverName } from "./names";
import { checkedRange, historyRange, historyRangeFields, historyResult, serverMetric, trafficTotal, usageSamples } from "./usage";
import type { OperationDef } from "./operations";

/** The usage operations (see the summaries). */
export const usageOperations = {
  getServerHistory: {
    summary: "A server's recorded usage over a range (the finest tier that covers it: 10 s for an hour, 1 min for 2 days, 30 min for a month, 6 h for 2 years).",
    input: checkedRange(z.object({ name: vserverName, metrics: z.array(serverMetric).max(32).optional(), ...historyRangeFields }).strict()),
    output: historyResult,
  },
  getHostHistory: {
    summary: "The host's recorded totals over a range.",
    input: historyRange,
    output: historyResult,
  },
  getUsageSamples: {
    summary: "The latest sample of the host and of each running server (or of the named ones).",
    input: z.object({ names: z.array(vserverName).max(1000).optional() }).strict(),
    output: usageSamples,
  },
  getTrafficTotals: {
    summary: "Each server's traffic since it was created on this host, counted across server and agent restarts.",
    input: z.object({}).strict(),
    output: z.object({ totals: z.array(trafficTotal) }),
  },
} as const satisfies Record<string, OperationDef>;
