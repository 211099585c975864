/**
 * Turns the key ids chosen in the wizard or the reinstall form into the key lines the
 * agent writes to the guest's authorized_keys. Only the actor's own keys can be chosen;
 * an id of someone else's key is refused as unknown, naming the field.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** The input field: ids of the actor's keys. */
export const sshKeyIdsInput = z.array(z.string().min(1).max(64)).max(32).default([]);

/** The key lines of `ids` (in the given order, duplicates once). */
export async function chosenSshKeys(db: Db, actor: Actor, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (!unique.length) return [];
  const rows = await db.sshKey.findMany({ where: { id: { in: unique }, userId: actor.userId }, select: { id: true, publicKey: true } });
  if (rows.length !== unique.length) throw new AppError("BAD_REQUEST", "sshKeyIds: one of the chosen keys is not in your account", "sshKeyIds");
  const byId = new Map(rows.map((r) => [r.id, r.publicKey]));
  return unique.map((id) => byId.get(id)!);
}
