/** A fresh look at every agent before an admin page shows hosts, so it shows the truth. */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { probeHost } from "./probe-host";

/** Probes every host in parallel, each bounded by `timeoutMs`; admins only. */
export async function probeAllHosts(db: Db, actor: Actor, timeoutMs = 2000): Promise<void> {
  if (actor.role !== "ADMIN") throw notFound();
  const ids = await db.host.findMany({ select: { id: true } });
  await Promise.all(ids.map((h) => probeHost(db, h.id, timeoutMs)));
}
