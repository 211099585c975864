"use server";
/** Server actions of the account's SSH keys. */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { addSshKey } from "@/lib/server/ssh-keys/add-ssh-key";
import { deleteSshKey } from "@/lib/server/ssh-keys/delete-ssh-key";

/** Adds a key from the account page's form. */
export async function addSshKeyAction(_prev: unknown, form: FormData): Promise<ActionResult<{ fingerprint: string }>> {
  const raw = formObject(form);
  return runAction(async (actor) => ({ fingerprint: (await addSshKey(db(), actor, { name: raw.name ?? "", publicKey: raw.publicKey ?? "" })).fingerprint }), {
    revalidate: ["/account"],
    message: "Key added.",
  });
}

/** Deletes one of the account's keys. */
export async function deleteSshKeyAction(keyId: string): Promise<ActionResult<null>> {
  return runOperation(deleteSshKey, [keyId], { revalidate: ["/account"] });
}
