/** A server's live usage from its host's agent (null when the host does not answer). */
import type { VserverUsage } from "@/lib/protocol/vservers";
import type { Db } from "@/lib/db/client";
import { agentForRead } from "@/lib/server/hosts/agent-for-read";

/** Usage, or null with the reason (at once for a host known to be offline). */
export async function readServerUsage(db: Db, server: { name: string; hostId: string }): Promise<{ usage: VserverUsage | null; error: string | null }> {
  const host = await db.host.findUniqueOrThrow({ where: { id: server.hostId } });
  try {
    return { usage: await agentForRead(host).getUsage({ name: server.name }), error: null };
  } catch (error) {
    return { usage: null, error: (error as Error).message };
  }
}
