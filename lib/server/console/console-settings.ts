/**
 * Console settings: how long a console may sit without input before the agent ends it.
 * A `Setting` row `console.idleMinutes` (changeable at run time, shared by every panel
 * instance) wins over the `CONSOLE_IDLE_MINUTES` environment variable; the default is 30.
 */
import type { Db } from "@/lib/db/client";

/** The Setting key of the idle limit. */
export const CONSOLE_IDLE_SETTING = "console.idleMinutes";

/** The idle limit when nothing is configured. */
export const DEFAULT_CONSOLE_IDLE_MINUTES = 30;

/** At most this many consoles in one browser window (one socket) at once. */
export const MAX_CONSOLES_PER_SOCKET = 8;

/** A whole number of minutes from 1 to 1440, or null. */
export function parseIdleMinutes(raw: string | undefined | null): number | null {
  if (!raw || !/^\d{1,4}$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  return n >= 1 && n <= 1440 ? n : null;
}

/** The idle limit in minutes now. */
export async function consoleIdleMinutes(db: Db, env: Record<string, string | undefined> = process.env): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: CONSOLE_IDLE_SETTING } });
  return parseIdleMinutes(row?.value) ?? parseIdleMinutes(env.CONSOLE_IDLE_MINUTES) ?? DEFAULT_CONSOLE_IDLE_MINUTES;
}
