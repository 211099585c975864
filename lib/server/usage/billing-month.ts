/**
 * The billing month: it starts on the day the admin sets (1–28, so every month has it),
 * at 00:00 UTC; traffic is counted per server and billing month.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const key = "billing.startDay";

/** The admin's start day (1 when unset). */
export async function billingStartDay(db: Db): Promise<number> {
  const v = Number((await db.setting.findUnique({ where: { key } }))?.value);
  return Number.isInteger(v) && v >= 1 && v <= 28 ? v : 1;
}

/** Sets the start day (admins only; checked by the caller's action). */
export async function setBillingStartDay(db: Db, day: number): Promise<void> {
  if (!Number.isInteger(day) || day < 1 || day > 28) throw new AppError("BAD_REQUEST", "startDay: a day from 1 to 28", "startDay");
  await db.setting.upsert({ where: { key }, create: { key, value: String(day) }, update: { value: String(day) } });
}

/** The start of the billing month that contains `at`. */
export function periodStart(at: Date, startDay: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const thisMonth = new Date(Date.UTC(y, m, startDay));
  return at >= thisMonth ? thisMonth : new Date(Date.UTC(y, m - 1, startDay));
}

/** The start of the billing month after the one starting at `start`. */
export function nextPeriod(start: Date): Date {
  return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()));
}
