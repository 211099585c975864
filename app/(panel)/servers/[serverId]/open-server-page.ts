/**
 * The start every page of one server shares (overview, backups, console): the signed-in
 * user (else the login page), the actor, and the server the actor may see; a server that
 * does not exist or is not theirs is a 404, so the two cannot be told apart.
 */
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";
import { loadOrNotFound } from "@/lib/server/load-or-not-found";

/** The user, actor and server of a page under `/servers/[serverId]`. */
export async function openServerPage(params: Promise<{ serverId: string }>) {
  const user = await requireUser();
  const { serverId } = await params;
  const actor = await currentActor();
  const server = await loadOrNotFound(getServerOrThrow, actor, serverId);
  return { user, actor, server };
}
