/**
 * Asks a host's agent for its health and records the answer on the Host row (online
 * state, versions, capacity facts). Used by the overview and the background monitor.
 */
import type { Db } from "@/lib/db/client";
import { AgentError } from "@/lib/agent-client";
import { agentForHost } from "./agent-for-host";

/** The outcome of one probe. */
export type ProbeResult = { online: true; latencyMs: number } | { online: false; error: string };

/** Probes one host and updates its row. */
export async function probeHost(db: Db, hostId: string, timeoutMs = 3000): Promise<ProbeResult> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  const started = performance.now();
  try {
    const health = await agentForHost(host, timeoutMs).health({});
    await db.host.update({
      where: { id: hostId },
      data: {
        status: "ONLINE",
        lastSeenAt: new Date(),
        agentVersion: health.agentVersion,
        kernelVersion: health.kernel,
        cgroupVersion: health.cgroup,
        capabilities: JSON.stringify(health.capabilities),
        cpuCores: host.cpuCores || health.cpuCores,
        memoryMb: host.memoryMb || health.memoryMb,
      },
    });
    return { online: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    await db.host.update({ where: { id: hostId }, data: { status: "OFFLINE" } });
    return { online: false, error: error instanceof AgentError ? `${error.code}: ${error.message}` : String(error) };
  }
}
