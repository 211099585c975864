"use server";
/** Server actions about the signed-in user's sessions. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { signOutEverywhere } from "@/lib/server/sessions/sign-out-everywhere";

/** Ends every session of the user, this one included. */
export async function signOutEverywhereAction(): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await signOutEverywhere(db(), actor);
    return null;
  });
}
