/** Removes a host that has no servers left. */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { requireAdmin } from "@/lib/server/require-admin";

/** Removes a host that has no servers left. */
export async function removeHost(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, true);
  const servers = await db.vServer.count({ where: { hostId: id } });
  if (servers > 0) throw new AppError("CONFLICT", `${servers} server(s) still live on this host`);
  const deleted = await db.host.deleteMany({ where: { id } });
  if (deleted.count === 0) throw notFound("Host not found");
  await audit(db, actor, "host.remove", { type: "host", id });
}
