/**
 * Asks a host's agent for its health and records the answer on the Host row (online
 * state, versions, capacity facts; a change between online and offline is an event).
 * Used by the overview and the background monitor.
 */
import type { Db } from "@/lib/db/client";
import { AgentError } from "@/lib/agent-client";
import { recordHostReachability } from "@/lib/server/reconcile/observed-events";
import { agentForHost } from "./agent-for-host";

/** The outcome of one probe. */
export type ProbeResult = { online: true; latencyMs: number } | { online: false; error: string };

/** Probes one host and updates its row. */
export async function probeHost(db: Db, hostId: string, timeoutMs = 3000): Promise<ProbeResult> {
  const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  const started = performance.now();
  try {
    const health = await agentForHost(host, timeoutMs).health({});
    // Online again (and the host.online event when it was offline); then its facts.
    await recordHostReachability(db, host, true);
    await db.host.update({
      where: { id: hostId },
      data: {
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
    await recordHostReachability(db, host, false);
    return { online: false, error: error instanceof AgentError ? `${error.code}: ${error.message}` : String(error) };
  }
}
