/**
 * A reseller's quota caps the sum of its customers' servers: a new server, or a resize,
 * that would take the sum over the quota is refused with the resource named.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { resellerUsage } from "@/lib/server/resellers/reseller-usage";
import type { RowLimits } from "../server-limits";

/** Throws QUOTA_EXCEEDED when adding `limits` (and `ips`) for a customer of `resellerId` breaks the quota. */
export async function checkResellerQuota(
  db: Db,
  resellerId: string | null,
  limits: Pick<RowLimits, "cpuMilli" | "memoryMb" | "diskMb">,
  ips: { ipv4: number; ipv6: number },
  options: { newServer: boolean; exceptServerId?: string },
): Promise<void> {
  if (!resellerId) return; // the house's own customers are capped by host capacity only
  const quota = await db.resellerQuota.findUnique({ where: { resellerId } });
  if (!quota) throw new AppError("QUOTA_EXCEEDED", "your reseller account has no quota yet; ask your provider");
  const used = await resellerUsage(db, resellerId, options.exceptServerId);
  const checks: [string, number, number][] = [
    ["servers", used.servers + (options.newServer ? 1 : 0), quota.maxServers],
    ["cpuMilli", used.cpuMilli + limits.cpuMilli, quota.maxCpuMilli],
    ["memoryMb", used.memoryMb + limits.memoryMb, quota.maxMemoryMb],
    ["diskMb", used.diskMb + limits.diskMb, quota.maxDiskMb],
    ["ipv4", used.ipv4 + ips.ipv4, quota.maxIpv4],
    ["ipv6", used.ipv6 + ips.ipv6, quota.maxIpv6],
  ];
  for (const [field, total, max] of checks) {
    if (total > max) throw new AppError("QUOTA_EXCEEDED", `${field}: the reseller quota allows ${max}, this would make ${total}`, field);
  }
}
