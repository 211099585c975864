/**
 * A fresh look at every agent before an admin page shows hosts, so it shows the truth —
 * bounded, so the page never waits long: a host known to be offline is left to the
 * background monitor (the page shows it offline with the age of its last answer).
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { pageReadTimeoutMs } from "./host-offline";
import { probeHost } from "./probe-host";

/** Probes every host not known offline in parallel, each bounded by `timeoutMs`; admins only. */
export async function probeAllHosts(db: Db, actor: Actor, timeoutMs = pageReadTimeoutMs): Promise<void> {
  if (actor.role !== "ADMIN") throw notFound();
  const ids = await db.host.findMany({ where: { status: { not: "OFFLINE" } }, select: { id: true } });
  await Promise.all(ids.map((h) => probeHost(db, h.id, timeoutMs)));
}
