/**
 * Adds a public SSH key to the actor's own account. The key is checked as sshd reads it
 * (lib/ssh/parse-public-key) and stored re-encoded, so what later reaches a guest's
 * authorized_keys is exactly the checked key and a name without control characters.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { parsePublicKey, PublicKeyError } from "@/lib/ssh/parse-public-key";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";

/** At most this many keys per account (the agent takes 32 per server). */
export const maxSshKeysPerUser = 32;

const addInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "is required")
      .max(100)
      .regex(/^[^\p{Cc}]*$/u, "must not contain control characters"),
    publicKey: z.string().max(16384, "is too long for a public key"),
  })
  .strict();

/** Adds a key; BAD_REQUEST naming `publicKey` with the reason when it is refused. */
export async function addSshKey(db: Db, actor: Actor, raw: unknown): Promise<{ id: string; fingerprint: string }> {
  if (actor.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot change SSH keys");
  const input = parseInput(addInput, raw);
  let key;
  try {
    key = parsePublicKey(input.publicKey);
  } catch (error) {
    if (error instanceof PublicKeyError) throw new AppError("BAD_REQUEST", `publicKey: the key ${error.message}`, "publicKey");
    throw error;
  }
  if ((await db.sshKey.count({ where: { userId: actor.userId } })) >= maxSshKeysPerUser) {
    throw new AppError("CONFLICT", `an account holds at most ${maxSshKeysPerUser} keys: delete one first`);
  }
  if (await db.sshKey.findFirst({ where: { userId: actor.userId, fingerprint: key.fingerprint }, select: { id: true } })) {
    throw new AppError("CONFLICT", `publicKey: this key (${key.fingerprint}) is already in your account`, "publicKey");
  }
  // The stored comment is the name the user gave: the key's own comment may hold anything.
  const comment = input.name.replace(/\s+/g, "_");
  const row = await db.sshKey.create({
    data: { userId: actor.userId, name: input.name, type: key.type, bits: key.bits, publicKey: `${key.type} ${key.blob} ${comment}`, fingerprint: key.fingerprint },
  });
  await audit(db, actor, "ssh-key.add", { type: "ssh-key", id: row.id }, { name: input.name, fingerprint: key.fingerprint });
  return { id: row.id, fingerprint: key.fingerprint };
}
