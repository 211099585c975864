"use server";
/** Server actions of the API token page. */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { createApiToken, revokeApiToken } from "@/lib/server/api-tokens/api-tokens";

/** Creates a token; the result carries it once. */
export async function createTokenAction(_prev: unknown, form: FormData): Promise<ActionResult<{ token: string }>> {
  return runAction(async (actor) => ({ token: (await createApiToken(db(), actor, formObject(form, { numbers: ["expiresInDays"], lists: ["scopes"] }))).token }), {
    revalidate: ["/reseller/tokens", "/admin/tokens", "/account/tokens"],
  });
}

/** Revokes a token. */
export async function revokeTokenAction(tokenId: string): Promise<ActionResult<null>> {
  return runOperation(revokeApiToken, [tokenId], { revalidate: ["/reseller/tokens", "/admin/tokens", "/account/tokens"] });
}
