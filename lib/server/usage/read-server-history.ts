/**
 * A server's usage history for the people who may see the server (its owner, the
 * owner's reseller, admins and support; anyone else gets 404 as for the server itself),
 * asked from its host's agent — the panel never reads the files.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { AgentError } from "@/lib/agent-client";
import type { HistoryResult, ServerSample } from "@/lib/protocol/usage";
import type { Actor } from "@/lib/server/actor";
import { agentForRead } from "@/lib/server/hosts/agent-for-read";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";

async function hostOf(db: Db, hostId: string) {
  return db.host.findUniqueOrThrow({ where: { id: hostId } });
}

function agentFailure(error: unknown): never {
  if (error instanceof AgentError) throw new AppError("AGENT_FAILED", `the server's host could not answer: ${error.message}`);
  throw error;
}

/** The recorded series of the server over `span`. */
export async function readServerHistory(db: Db, actor: Pick<Actor, "userId" | "role">, serverId: string, span: { from: number; to: number }): Promise<HistoryResult> {
  const server = await getServerOrThrow(db, actor, serverId);
  const agent = agentForRead(await hostOf(db, server.hostId));
  return agent.getServerHistory({ name: server.name, ...span }).catch(agentFailure);
}

/** The server's latest sample (null when it is not running), for the live tail. */
export async function readServerSample(db: Db, actor: Pick<Actor, "userId" | "role">, serverId: string): Promise<ServerSample | null> {
  const server = await getServerOrThrow(db, actor, serverId);
  const agent = agentForRead(await hostOf(db, server.hostId));
  const samples = await agent.getUsageSamples({ names: [server.name] }).catch(agentFailure);
  return samples.servers.find((s) => s.name === server.name) ?? null;
}
