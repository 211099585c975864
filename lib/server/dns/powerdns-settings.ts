/**
 * Where the panel's PowerDNS is: its HTTP API's URL, the server id in it (`localhost` for
 * a plain pdns_server) and the API key, kept in the Setting table with the key sealed by
 * the panel secret (as the SMTP password is). Without them reverse DNS is hidden.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { panelSecret } from "@/lib/env";
import { open, seal } from "@/lib/security/secret-box";

const purpose = "powerdns-api-key";
const key = "dns.powerdns";

/** What the admin sets. An empty URL turns reverse DNS off; an empty key keeps the stored one. */
export const powerDnsSettingsInput = z
  .object({
    url: z
      .string()
      .trim()
      .max(300)
      .refine((v) => v === "" || /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/.test(v), "an http(s) URL such as http://127.0.0.1:8081 (no user or password in it: the API key goes below)")
      .transform((v) => v.replace(/\/+$/, "")),
    serverId: z.string().trim().min(1, "the PowerDNS server id (usually localhost)").max(64).regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash, underscore").default("localhost"),
    apiKey: z.string().max(500).default(""),
  })
  .strict();

/** The stored settings with the key opened (server side only). */
export interface PowerDnsSettings {
  url: string;
  serverId: string;
  apiKey: string;
}

interface Stored {
  url: string;
  serverId: string;
  apiKeySealed?: string;
}

async function readStored(db: Db): Promise<Stored | null> {
  const row = await db.setting.findUnique({ where: { key } });
  return row ? (JSON.parse(row.value) as Stored) : null;
}

/** The settings, or null while reverse DNS is not set up (no URL or no key). */
export async function readPowerDnsSettings(db: Db): Promise<PowerDnsSettings | null> {
  const s = await readStored(db);
  if (!s?.url || !s.apiKeySealed) return null;
  return { url: s.url, serverId: s.serverId, apiKey: open(panelSecret(), purpose, s.apiKeySealed) };
}

/** What the admin's form shows: never the key, only whether one is stored. */
export async function powerDnsSettingsView(db: Db): Promise<{ url: string; serverId: string; hasKey: boolean }> {
  const s = await readStored(db);
  return { url: s?.url ?? "", serverId: s?.serverId ?? "localhost", hasKey: Boolean(s?.apiKeySealed) };
}

/** The scheme, host and port of a URL ("" for none): the stored key goes only where it went before. */
function originOf(url: string | undefined): string {
  try {
    return url ? new URL(url).origin : "";
  } catch {
    return "";
  }
}

/** Stores the settings (an empty key keeps the previous one, for the same server only). */
export async function writePowerDnsSettings(db: Db, input: z.output<typeof powerDnsSettingsInput>): Promise<void> {
  const stored = await readStored(db);
  const previous = stored?.apiKeySealed;
  // A key typed for one server is never sent to another that the URL was changed to.
  if (!input.apiKey && previous && input.url && originOf(input.url) !== originOf(stored?.url)) {
    throw new AppError("BAD_REQUEST", "the URL points at another server: type the API key for it again", "apiKey");
  }
  const apiKeySealed = input.apiKey ? seal(panelSecret(), purpose, input.apiKey) : previous;
  const value = JSON.stringify({ url: input.url, serverId: input.serverId, apiKeySealed } satisfies Stored);
  await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}
