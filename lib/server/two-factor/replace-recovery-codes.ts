/** Replaces a user's recovery codes with a fresh set (the old ones stop working at once). */
import type { Db } from "@/lib/db/client";
import { generateRecoveryCodes } from "./recovery-codes";

/** Stores new codes' hashes in place of the old ones; returns the codes to show once. */
export async function replaceRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const { codes, hashes } = generateRecoveryCodes();
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) }),
  ]);
  return codes;
}
