/** What the admin's notification settings form shows (the SMTP password never leaves the server). */
import type { Db } from "@/lib/db/client";
import { billingStartDay } from "@/lib/server/usage/billing-month";
import { rescueMinutes } from "@/lib/server/vservers/rescue/rescue-settings";

/** The current values. */
export async function adminSettingsValues(db: Db) {
  const mail = await db.setting.findUnique({ where: { key: "mail" } });
  const m = mail ? (JSON.parse(mail.value) as { host?: string; port?: number; secure?: boolean; user?: string; from?: string; publicUrl?: string }) : {};
  const allow = (await db.setting.findUnique({ where: { key: "webhooks.allowPrivate" } }))?.value === "true";
  return {
    host: m.host ?? "",
    port: m.port ?? 587,
    secure: m.secure ?? false,
    user: m.user ?? "",
    from: m.from ?? "",
    publicUrl: m.publicUrl ?? process.env.NEXTAUTH_URL ?? "",
    startDay: await billingStartDay(db),
    allowPrivateWebhooks: allow,
    rescueMinutes: await rescueMinutes(db),
  };
}
