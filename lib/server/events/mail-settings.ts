/**
 * The admin's SMTP server and the panel's public address (for links in e-mails), kept in
 * the Setting table; the SMTP password sealed with the panel secret.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { open, seal } from "@/lib/security/secret-box";

const purpose = "smtp-password";

/** What the admin sets. */
export const mailSettingsInput = z
  .object({
    host: z.string().trim().max(253).regex(/^[A-Za-z0-9.-]*$/, "a host name or address"),
    port: z.coerce.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
    secure: z.coerce.boolean().default(false),
    user: z.string().max(200).default(""),
    /** Empty keeps the stored password. */
    password: z.string().max(500).default(""),
    from: z.string().trim().email("an e-mail address").max(200),
    publicUrl: z.string().trim().url("a URL such as https://panel.example.com").max(300),
  })
  .strict();

/** The stored settings (the password opened). */
export interface MailSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  from: string;
  publicUrl: string;
}

const key = "mail";

/** The settings, or null while the admin has set no SMTP server. */
export async function readMailSettings(db: Db): Promise<MailSettings | null> {
  const row = await db.setting.findUnique({ where: { key } });
  if (!row) return null;
  const v = JSON.parse(row.value) as Omit<MailSettings, "password"> & { passwordSealed?: string };
  if (!v.host) return null;
  return { host: v.host, port: v.port, secure: v.secure, user: v.user, from: v.from, publicUrl: v.publicUrl, password: v.passwordSealed ? open(panelSecret(), purpose, v.passwordSealed) : "" };
}

/** Whether e-mail can be sent. */
export async function smtpConfigured(db: Db): Promise<boolean> {
  return (await readMailSettings(db)) !== null;
}

/** Stores the settings (an empty password keeps the previous one). */
export async function writeMailSettings(db: Db, input: z.output<typeof mailSettingsInput>): Promise<void> {
  const before = await db.setting.findUnique({ where: { key } });
  const previous = before ? (JSON.parse(before.value) as { passwordSealed?: string }).passwordSealed : undefined;
  const passwordSealed = input.password ? seal(panelSecret(), purpose, input.password) : previous;
  const value = JSON.stringify({ host: input.host, port: input.port, secure: input.secure, user: input.user, from: input.from, publicUrl: input.publicUrl.replace(/\/+$/, ""), passwordSealed });
  await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}
