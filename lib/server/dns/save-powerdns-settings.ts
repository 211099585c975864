/** The admin sets (or, with an empty URL, turns off) the PowerDNS endpoint of reverse DNS. Admins only (404 for everyone else). */
import type { Db } from "@/lib/db/client";
import { AppError, notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { audit } from "@/lib/server/audit/audit";
import { parseInput } from "@/lib/server/parse-input";
import { powerDnsSettingsInput, powerDnsSettingsView, writePowerDnsSettings } from "./powerdns-settings";

/** Stores the settings; a URL without any key (stored or new) is refused. */
export async function savePowerDnsSettings(db: Db, actor: Actor, raw: unknown): Promise<void> {
  if (actor.role !== "ADMIN") throw notFound();
  const input = parseInput(powerDnsSettingsInput, raw);
  if (input.url && !input.apiKey && !(await powerDnsSettingsView(db)).hasKey) throw new AppError("BAD_REQUEST", "apiKey: the PowerDNS API key is required", "apiKey");
  await writePowerDnsSettings(db, input);
  await audit(db, actor, "settings.reverse-dns", { type: "setting", id: "dns.powerdns" }, { url: input.url, serverId: input.serverId, keyChanged: input.apiKey !== "" });
}

/** What the admin's form shows (never the key). Admins only. */
export async function getPowerDnsSettings(db: Db, actor: Actor): Promise<{ url: string; serverId: string; hasKey: boolean }> {
  if (actor.role !== "ADMIN") throw notFound();
  return powerDnsSettingsView(db);
}
