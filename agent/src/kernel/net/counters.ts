/**
 * Traffic counters of a server, from its host-side veth's statistics in sysfs: cheap
 * enough to poll for every server every few seconds, and out of the guest's reach (a
 * guest could reset or fake its own eth0 counters, not the host side's).
 */
import { readFile } from "node:fs/promises";
import { AgentFailure } from "../../errors";
import { checkCtx, hostLinkName, tableName } from "./naming";
import { runTool } from "../run-tool";

/** Counters as the server sees them: rx = received by the server, tx = sent by it. */
export interface TrafficCounters {
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

async function stat(link: string, name: string): Promise<number> {
  const text = await readFile(`/sys/class/net/${link}/statistics/${name}`, "utf8");
  return Number(text.trim());
}

/**
 * Reads a server's counters. The host side's tx is the server's rx and vice versa. Frames
 * the anti-spoofing table drops are counted in txBytes (they did leave the guest); see
 * {@link readDroppedCount}. NOT_FOUND when the server has no veth.
 */
export async function readVserverCounters(ctx: number): Promise<TrafficCounters> {
  const link = hostLinkName(checkCtx(ctx));
  try {
    const [rxBytes, rxPackets, txBytes, txPackets] = await Promise.all([
      stat(link, "tx_bytes"),
      stat(link, "tx_packets"),
      stat(link, "rx_bytes"),
      stat(link, "rx_packets"),
    ]);
    return { rxBytes, rxPackets, txBytes, txPackets };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AgentFailure("NOT_FOUND", `ctx ${ctx} has no network device`, "ctx");
    }
    throw error;
  }
}

/** Frames the anti-spoofing table dropped for this server (packets, bytes). */
export async function readDroppedCount(ctx: number): Promise<{ packets: number; bytes: number }> {
  const out = (await runTool("nft", ["-j", "list", "counter", "netdev", tableName(checkCtx(ctx)), "dropped"])).stdout;
  const parsed = JSON.parse(out) as { nftables?: { counter?: { packets?: number; bytes?: number } }[] };
  const counter = parsed.nftables?.find((e) => e.counter)?.counter;
  if (!counter) throw new AgentFailure("KERNEL", `nft: no counter "dropped" in table ${tableName(ctx)}`);
  return { packets: counter.packets ?? 0, bytes: counter.bytes ?? 0 };
}
