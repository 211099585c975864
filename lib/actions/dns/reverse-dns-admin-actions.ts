"use server";
/** The admin's reverse-DNS actions: the PowerDNS endpoint, and linking a pool (creating its reverse zones). */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { linkPoolReverseZones } from "@/lib/server/dns/link-pool-reverse-zones";
import { savePowerDnsSettings } from "@/lib/server/dns/save-powerdns-settings";

/** Saves the PowerDNS URL, server id and API key (an empty key keeps the stored one). */
export async function savePowerDnsSettingsAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runOperation(savePowerDnsSettings, [formObject(form)], { revalidate: ["/admin/reverse-dns"], message: "Saved." });
}

/** Creates the reverse zones of pool `poolId` in PowerDNS. */
export async function linkPoolReverseZonesAction(poolId: string): Promise<ActionResult<{ zones: { name: string; created: boolean }[] }>> {
  return runAction((actor) => linkPoolReverseZones(db(), actor, poolId), { revalidate: ["/admin/reverse-dns"] });
}
