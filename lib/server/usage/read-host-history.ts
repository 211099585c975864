/** A host's usage history, for admins and support only (404 for everyone else). */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { AgentError } from "@/lib/agent-client";
import type { HistoryResult } from "@/lib/protocol/usage";
import type { Actor } from "@/lib/server/actor";
import { agentForRead } from "@/lib/server/hosts/agent-for-read";

/** The recorded totals of host `hostId` over `span`. */
export async function readHostHistory(db: Db, actor: Pick<Actor, "role">, hostId: string, span: { from: number; to: number }): Promise<HistoryResult> {
  if (actor.role !== "ADMIN" && actor.role !== "SUPPORT") throw notFound("Host not found");
  const host = await db.host.findUnique({ where: { id: hostId } });
  if (!host) throw notFound("Host not found");
  try {
    return await agentForRead(host).getHostHistory(span);
  } catch (error) {
    if (error instanceof AgentError) throw new AppError("AGENT_FAILED", `the host could not answer: ${error.message}`);
    throw error;
  }
}
