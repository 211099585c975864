/**
 * The agent client for reads that a page or API answer waits on: a host known to be
 * offline is not asked at all (the caller gets "host offline" with the age of its last
 * answer, at once), and any other host gets at most {@link pageReadTimeoutMs}.
 */
import type { AgentClient } from "@/lib/agent-client";
import { agentForHost, type HostEndpoint } from "./agent-for-host";
import { pageReadTimeoutMs, requireHostOnline, type HostLiveness } from "./host-offline";

/** A bounded client for a read; throws HOST_OFFLINE for a host known to be offline. */
export function agentForRead(host: HostEndpoint & HostLiveness): AgentClient {
  requireHostOnline(host, "read");
  return agentForHost(host, pageReadTimeoutMs);
}
