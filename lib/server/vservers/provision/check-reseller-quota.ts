/**
 * A reseller's quota caps the sum of its customers' servers: a new server, or a resize,
 * that would take the sum over the quota is refused with the resource named. Callers
 * run it under the reseller's quota lock, through withResellerQuota
 * (lib/server/resellers/with-reseller-quota.ts), so the sums cannot change meanwhile.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { resellerUsage } from "@/lib/server/resellers/reseller-usage";
import type { RowLimits } from "../server-limits";
import { noQuotaYet } from "@/lib/server/resellers/no-quota-yet";

/**
 * Throws QUOTA_EXCEEDED when adding `limits` (and `ips`) for a customer of `resellerId`
 * breaks the quota. A change of an existing server (`exceptServerId`, with `before`) is
 * judged only on what it adds: lowering memory or keeping the addresses is never refused,
 * even when the admin has lowered the quota below what is in use.
 */
export async function checkResellerQuota(
  db: Db,
  resellerId: string | null,
  limits: Pick<RowLimits, "cpuMilli" | "memoryMb" | "diskMb">,
  ips: { ipv4: number; ipv6: number },
  options: { newServer: boolean; exceptServerId?: string; before?: Pick<RowLimits, "cpuMilli" | "memoryMb" | "diskMb"> },
): Promise<void> {
  if (!resellerId) return; // the house's own customers are capped by host capacity only
  const quota = await db.resellerQuota.findUnique({ where: { resellerId } });
  if (!quota) throw noQuotaYet();
  const used = await resellerUsage(db, resellerId, options.exceptServerId);
  const grows = (key: "cpuMilli" | "memoryMb" | "diskMb") => !options.before || limits[key] > options.before[key];
  const checks: [string, number, number, boolean][] = [
    ["servers", used.servers + (options.newServer ? 1 : 0), quota.maxServers, options.newServer],
    ["cpuMilli", used.cpuMilli + limits.cpuMilli, quota.maxCpuMilli, grows("cpuMilli")],
    ["memoryMb", used.memoryMb + limits.memoryMb, quota.maxMemoryMb, grows("memoryMb")],
    ["diskMb", used.diskMb + limits.diskMb, quota.maxDiskMb, grows("diskMb")],
    ["ipv4", used.ipv4 + ips.ipv4, quota.maxIpv4, ips.ipv4 > 0],
    ["ipv6", used.ipv6 + ips.ipv6, quota.maxIpv6, ips.ipv6 > 0],
  ];
  for (const [field, total, max, adds] of checks) {
    if (adds && total > max) throw new AppError("QUOTA_EXCEEDED", `${field}: the reseller quota allows ${max}, this would make ${total}`, field);
  }
}
