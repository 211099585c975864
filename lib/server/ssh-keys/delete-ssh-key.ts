/** Deletes one of the actor's own keys; anyone else's id is "not found". Servers keep the copies they were given. */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";

/** Deletes the key `id` of the actor. */
export async function deleteSshKey(db: Db, actor: Actor, id: string): Promise<void> {
  if (actor.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot change SSH keys");
  const { count } = await db.sshKey.deleteMany({ where: { id, userId: actor.userId } });
  if (count === 0) throw notFound("SSH key not found");
  await audit(db, actor, "ssh-key.delete", { type: "ssh-key", id });
}
