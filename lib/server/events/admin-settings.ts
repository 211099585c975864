/**
 * The admin's settings for telling people: the SMTP server and public address (e-mail),
 * the billing month's start day, whether webhooks may reach private networks. Admins
 * only (404 for everyone else, as for the admin pages).
 */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { setBillingStartDay } from "@/lib/server/usage/billing-month";
import { setRescueMinutes } from "@/lib/server/vservers/rescue/rescue-settings";
import { mailSettingsInput, writeMailSettings } from "./mail-settings";

function adminOnly(actor: Pick<Actor, "role">): void {
  if (actor.role !== "ADMIN") throw notFound();
}

/** Stores the SMTP settings. */
export async function saveMailSettings(db: Db, actor: Actor, raw: unknown): Promise<void> {
  adminOnly(actor);
  const input = parseInput(mailSettingsInput, raw);
  await writeMailSettings(db, input);
  await audit(db, actor, "settings.mail", { type: "setting", id: "mail" }, { host: input.host, port: input.port, from: input.from });
}

/** Sets the billing month's start day, whether webhooks may reach private networks, and
 * how long a rescue lasts before the host ends it (when the form sends it). */
export async function saveUsageSettings(db: Db, actor: Actor, raw: Record<string, unknown>): Promise<void> {
  adminOnly(actor);
  await setBillingStartDay(db, Number(raw.startDay));
  const allow = raw.allowPrivateWebhooks === true ? "true" : "false";
  await db.setting.upsert({ where: { key: "webhooks.allowPrivate" }, create: { key: "webhooks.allowPrivate", value: allow }, update: { value: allow } });
  if (raw.rescueMinutes !== undefined) await setRescueMinutes(db, Number(raw.rescueMinutes));
  await audit(db, actor, "settings.usage", { type: "setting", id: "usage" }, { startDay: Number(raw.startDay), allowPrivateWebhooks: allow, ...(raw.rescueMinutes !== undefined ? { rescueMinutes: Number(raw.rescueMinutes) } : {}) });
}
