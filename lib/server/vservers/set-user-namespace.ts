/**
 * An admin switches a server between its own user namespace (the default: guest root is
 * an unprivileged host uid of the server's range) and the shared-uid mode, which is less
 * safe: a guest that gets hold of a directory fd of another shared-uid server (a socket
 * in a directory both can write, SECURITY.md rule 5) is root in that server's tree. The
 * host applies it at the server's next start.
 */
import { z } from "zod";
import { AgentError } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { parseInput } from "@/lib/server/parse-input";
import { getServerOrThrow } from "./get-server-or-throw";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

const userNamespaceInput = z.object({ enabled: z.boolean() }).strict();

/** Applies the switch on the host and records the mode; `restart`: it runs in the old mode until then. */
export async function setServerUserNamespace(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<{ userNamespace: boolean; restart: boolean }> {
  const { enabled } = parseInput(userNamespaceInput, raw);
  const server = await getServerOrThrow(db, actor, serverId);
  if (actor.role !== "ADMIN") throw new AppError("FORBIDDEN", "only an admin may change how a server maps user ids");
  if (["BUILDING", "DELETING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  requireHostOnline(host);
  let userNamespace: boolean;
  try {
    // A root that must be shifted on disk (no idmapped mounts on its filesystem) takes a walk.
    userNamespace = (await agentForHost(host, 600_000).setUserNamespace({ name: server.name, enabled })).userNamespace;
  } catch (error) {
    if (error instanceof AgentError && error.code === "WRONG_STATE") throw new AppError("CONFLICT", `stop the server first: ${error.message}`);
    throw new AppError("AGENT_FAILED", `the host did not apply it: ${(error as Error).message}`);
  }
  await db.vServer.update({ where: { id: server.id }, data: { userNamespace } });
  await audit(db, actor, "vserver.set-user-namespace", { type: "vserver", id: server.id }, { enabled });
  return { userNamespace, restart: server.state === "RUNNING" && userNamespace !== server.userNamespace };
}
