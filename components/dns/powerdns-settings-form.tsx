"use client";
/** The admin's PowerDNS endpoint for reverse DNS: URL, server id and API key (never shown back). */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { savePowerDnsSettingsAction } from "@/lib/actions/dns/reverse-dns-admin-actions";

/** The form, with the stored values (and whether a key is stored). */
export function PowerDnsSettingsForm({ v }: { v: { url: string; serverId: string; hasKey: boolean } }) {
  return (
    <ActionForm action={savePowerDnsSettingsAction} resetOnSuccess={false} testId="powerdns-settings-form">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <FormField label="PowerDNS API URL" name="url" type="url" defaultValue={v.url} placeholder="http://127.0.0.1:8081" hint="Empty turns reverse DNS off." autoComplete="off" />
        <FormField label="Server id" name="serverId" defaultValue={v.serverId} placeholder="localhost" autoComplete="off" />
        <FormField label="API key" name="apiKey" type="password" autoComplete="new-password" hint={v.hasKey ? "A key is stored; empty keeps it." : "The api-key of pdns.conf."} />
      </div>
      <SubmitButton>Save reverse-DNS settings</SubmitButton>
    </ActionForm>
  );
}
