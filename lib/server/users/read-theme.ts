/**
 * The theme of whoever is signed in, for the root layout: it is rendered into `<html>`
 * on the server, so a dark page never flashes light first. Signed out: follow the OS.
 */
import "server-only";
import { db } from "@/lib/db/client";
import { currentSession } from "@/lib/server/auth/current-user";
import { asTheme, type Theme } from "@/lib/theme";

/** The current user's theme, or "system". */
export async function currentTheme(): Promise<Theme> {
  const session = await currentSession().catch(() => null);
  if (!session) return "system";
  const row = await db().user.findUnique({ where: { id: session.user.id }, select: { theme: true } });
  return asTheme(row?.theme);
}
