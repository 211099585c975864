/** The agent of a host by its id (for backup reads and jobs that start from a host id). */
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

/** A lazily made client: nothing is opened until the first call needs it. */
export function hostAgent(db: Db, hostId: string, timeoutMs = 30_000): () => Promise<AgentClient> {
  let client: AgentClient | null = null;
  return async () => {
    if (client) return client;
    const host = await db.host.findUnique({ where: { id: hostId } });
    if (!host) throw new AppError("NOT_FOUND", "the server's host is no longer known");
    requireHostOnline(host, "read");
    client = agentForHost(host, timeoutMs);
    return client;
  };
}
