/**
 * A server's traffic per billing month, for the people who may see the server (404
 * otherwise) and for billing systems: in, out and total of the current month and the
 * eleven before, with the plan's monthly transfer.
 */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { billingStartDay, nextPeriod, periodStart } from "./billing-month";

/** One month. */
export interface TrafficMonthView {
  periodStart: string;
  periodEnd: string;
  rxBytes: number;
  txBytes: number;
  totalBytes: number;
}

/** The server's traffic. */
export interface ServerTraffic {
  serverId: string;
  /** The plan's monthly transfer in bytes (both directions); null: unmetered. */
  quotaBytes: number | null;
  overQuotaPolicy: string;
  current: TrafficMonthView;
  months: TrafficMonthView[];
}

/** Reads the server's traffic months. */
export async function readServerTraffic(db: Db, actor: Pick<Actor, "userId" | "role">, serverId: string, now = new Date()): Promise<ServerTraffic> {
  const server = await getServerOrThrow(db, actor, serverId);
  const start = periodStart(now, await billingStartDay(db));
  const rows = await db.trafficMonth.findMany({ where: { vserverId: server.id }, orderBy: { periodStart: "desc" }, take: 12 });
  const view = (p: Date, r?: { rxBytes: bigint; txBytes: bigint }): TrafficMonthView => ({
    periodStart: p.toISOString(),
    periodEnd: nextPeriod(p).toISOString(),
    rxBytes: Number(r?.rxBytes ?? 0n),
    txBytes: Number(r?.txBytes ?? 0n),
    totalBytes: Number((r?.rxBytes ?? 0n) + (r?.txBytes ?? 0n)),
  });
  const current = view(start, rows.find((r) => r.periodStart.getTime() === start.getTime()));
  return {
    serverId: server.id,
    quotaBytes: server.plan?.trafficGb ? server.plan.trafficGb * 1_000_000_000 : null,
    overQuotaPolicy: server.plan?.overQuotaPolicy ?? "NONE",
    current,
    months: rows.map((r) => view(r.periodStart, r)),
  };
}
