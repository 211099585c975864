/** The last vunify report of a host: what sharing identical files saved. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { agentForRead } from "./agent-for-read";

/** The host's last report, or null when it has none, does not answer or is known offline; admins only. */
export async function readUnifyReport(db: Db, actor: Actor, hostId: string) {
  if (actor.role !== "ADMIN") throw notFound();
  const row = await db.host.findUniqueOrThrow({ where: { id: hostId } });
  return Promise.resolve()
    .then(() => agentForRead(row).getUnifyReport({}))
    .then((r) => r.report)
    .catch(() => null);
}
