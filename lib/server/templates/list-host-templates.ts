/** Template names of a server's host (what a reinstall from a template may use). */
import type { Db } from "@/lib/db/client";
import type { ServerDetail } from "@/lib/server/vservers/get-server-or-throw";

/** Names of the templates on the host of `server` (one the caller loaded through getServerOrThrow). */
export async function listHostTemplates(db: Db, server: Pick<ServerDetail, "hostId">): Promise<string[]> {
  return (await db.osTemplate.findMany({ where: { hostId: server.hostId }, orderBy: { name: "asc" }, select: { name: true } })).map((t) => t.name);
}
