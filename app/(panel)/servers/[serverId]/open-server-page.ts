/**
 * The start every page of one server shares (overview, backups, console): the signed-in
 * user (else the login page), the actor, and the server the actor may see; a server that
 * does not exist or is not theirs is a 404, so the two cannot be told apart.
 */
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { load } from "@/lib/server/load";
import { getServerOrThrow } from "@/lib/server/vservers/get-server-or-throw";

/** The user, actor and server of a page under `/servers/[serverId]`. */
export async function openServerPage(params: Promise<{ serverId: string }>) {
  const user = await requireUser();
  const { serverId } = await params;
  const actor = await currentActor();
  const server = await load(getServerOrThrow, actor, serverId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  return { user, actor, server };
}
