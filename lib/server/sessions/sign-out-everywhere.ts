/**
 * "Sign out everywhere": raises the user's session version, so every session cookie
 * issued before — in this browser and any other — stops working at its next request.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";

/** Ends all of the actor's own sessions. */
export async function signOutEverywhere(db: Db, actor: Actor): Promise<void> {
  if (actor.via !== "session") throw new AppError("FORBIDDEN", "sessions belong to the browser; revoke API tokens instead");
  await db.user.update({ where: { id: actor.userId }, data: { sessionVersion: { increment: 1 } } });
  await audit(db, actor, "user.sign-out-everywhere", { type: "user", id: actor.userId });
}
