/**
 * The start of every admin page that shows hosts: only an admin gets past it, and every
 * host not known offline is probed first, so the page shows each host as it answers now.
 */
import "server-only";
import type { Actor } from "@/lib/server/actor";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { load } from "@/lib/server/load";
import { probeAllHosts } from "./probe-all-hosts";

/** Requires an admin, probes the hosts (probe-all-hosts.ts) and returns the admin's actor. */
export async function adminActorAfterHostProbe(): Promise<Actor> {
  await requireRole("ADMIN");
  const actor = await currentActor();
  await load(probeAllHosts, actor);
  return actor;
}
