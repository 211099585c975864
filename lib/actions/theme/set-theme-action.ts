"use server";
/** Server action of the theme toggle. */
import { runAction } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { setTheme } from "@/lib/server/users/set-theme";
import type { Theme } from "@/lib/theme";

/** Stores the signed-in user's theme. */
export async function setThemeAction(theme: string): Promise<ActionResult<Theme>> {
  return runAction((actor) => setTheme(db(), actor, theme));
}
