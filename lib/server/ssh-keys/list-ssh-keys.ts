/** The actor's own SSH keys (never anyone else's: keys are personal, also to admins). */
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";

/** One key as pages show it. */
export interface SshKeyView {
  id: string;
  name: string;
  type: string;
  bits: number;
  fingerprint: string;
  createdAt: Date;
}

/** Lists the actor's keys, oldest first. */
export async function listSshKeys(db: Db, actor: Actor): Promise<SshKeyView[]> {
  return db.sshKey.findMany({
    where: { userId: actor.userId },
    select: { id: true, name: true, type: true, bits: true, fingerprint: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
}
