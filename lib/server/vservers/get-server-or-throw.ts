/** Loads a server the actor may see (404 otherwise), with what its pages need. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { visibleServersWhere } from "./visible-servers-where";

/** The server with host, owner, plan and addresses. */
export async function getServerOrThrow(db: Db, actor: Pick<Actor, "userId" | "role">, id: string) {
  const server = await db.vServer.findFirst({
    where: { AND: [{ id }, visibleServersWhere(actor)] },
    include: {
      host: { select: { id: true, name: true, status: true, lastSeenAt: true, capabilities: true } },
      owner: { select: { id: true, email: true, resellerId: true, allowSupportConsole: true } },
      plan: true,
      addresses: { orderBy: [{ family: "asc" }, { address: "asc" }], include: { pool: { select: { cidr: true, assignPrefix: true } } } },
    },
  });
  if (!server) throw notFound("Server not found");
  return server;
}

/** A server as returned by {@link getServerOrThrow}. */
export type ServerDetail = Awaited<ReturnType<typeof getServerOrThrow>>;
