/**
 * How long a rescue lasts before the host ends it by itself: the admin's setting
 * (`rescue.minutes`, 60 when unset), within what the wire accepts.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { MAX_RESCUE_MINUTES } from "@/lib/protocol/rescue";

/** The default when the admin set nothing. */
export const DEFAULT_RESCUE_MINUTES = 60;

const KEY = "rescue.minutes";

/** The rescue time limit in minutes. */
export async function rescueMinutes(db: Pick<Db, "setting">): Promise<number> {
  const v = Number((await db.setting.findUnique({ where: { key: KEY } }))?.value);
  return Number.isInteger(v) && v >= 1 && v <= MAX_RESCUE_MINUTES ? v : DEFAULT_RESCUE_MINUTES;
}

/** Stores the limit (the caller checked that the actor is an admin). */
export async function setRescueMinutes(db: Pick<Db, "setting">, minutes: number): Promise<void> {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_RESCUE_MINUTES) {
    throw new AppError("BAD_REQUEST", `rescueMinutes: a whole number of minutes from 1 to ${MAX_RESCUE_MINUTES}`, "rescueMinutes");
  }
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: String(minutes) }, update: { value: String(minutes) } });
}
