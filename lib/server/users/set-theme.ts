/** A user's own colour theme (any role; it changes nothing but how the panel looks to them). */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { themeInput, type Theme } from "@/lib/theme";

/** Stores the actor's theme; returns it. */
export async function setTheme(db: Db, actor: Actor, raw: unknown): Promise<Theme> {
  if (actor.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot change account settings");
  const theme = parseInput(themeInput, raw);
  await db.user.update({ where: { id: actor.userId }, data: { theme } });
  return theme;
}
