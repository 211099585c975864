"use client";
/**
 * A server's reverse DNS: the PTR record of each address (any number inside an IPv6
 * prefix), a form to set one (the user types the address as usual; the panel computes
 * the in-addr.arpa or ip6.arpa name) and a button to remove one. A name that does not
 * resolve back to the address is shown as a warning; the record is set anyway.
 */
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { setReverseDnsAction, setReverseDnsFormAction } from "@/lib/actions/servers/set-reverse-dns-action";
import type { ServerReverseDns } from "@/lib/server/dns/list-reverse-dns";

/** The card's body. */
export function ReverseDnsCard({ serverId, state, canChange }: { serverId: string; state: ServerReverseDns; canChange: boolean }) {
  const [warning, setWarning] = useState<string | null>(null);
  if ("error" in state)
    return (
      <p className="text-sm text-red-700" role="alert" data-testid="reverse-dns-error">
        {state.error}
      </p>
    );
  const ready = state.addresses.filter((a) => a.zoneReady);
  const first = ready.find((a) => a.family === "IPV4")?.assigned.split("/")[0] ?? "";
  return (
    <div className="space-y-4 text-sm" data-testid="reverse-dns">
      <ul className="space-y-2">
        {state.addresses.map((a) => (
          <li key={a.addressId}>
            <span className="font-mono">{a.assigned}</span>
            {!a.zoneReady ? <span className="ml-2 text-xs text-slate-500">reverse DNS not enabled for this address&apos;s pool</span> : null}
            {a.records.length === 0 && a.zoneReady ? <span className="ml-2 text-xs text-slate-500">no PTR record</span> : null}
            <ul className="ml-4">
              {a.records.map((r) => (
                <li key={r.address} className="flex flex-wrap items-center gap-2" data-testid="reverse-dns-record">
                  <span className="font-mono">{r.address}</span>
                  <span aria-hidden>→</span>
                  <span className="font-mono" data-testid="reverse-dns-name">
                    {r.name}
                  </span>
                  {canChange ? (
                    <ActionButton look="secondary" className="px-2 py-0.5 text-xs" action={() => setReverseDnsAction(serverId, r.address, "")} confirm={`Remove the PTR record of ${r.address}?`} aria-label={`Remove the PTR record of ${r.address}`}>
                      Remove
                    </ActionButton>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {canChange && ready.length ? (
        <ActionForm action={(prev: unknown, form: FormData) => setReverseDnsFormAction(serverId, prev, form)} resetOnSuccess={false} onSuccess={(d) => setWarning(d.warning)} testId="reverse-dns-form">
          <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
            <FormField label="Address" name="address" defaultValue={first} required hint="Inside an IPv6 prefix, any address of it." autoComplete="off" />
            <FormField label="Host name" name="name" placeholder="mail.example.com" hint="Empty removes the record." autoComplete="off" />
          </div>
          <SubmitButton>Save PTR record</SubmitButton>
        </ActionForm>
      ) : null}
      {warning ? (
        <p className="text-sm text-amber-700" role="status" data-testid="reverse-dns-warning">
          {warning}
        </p>
      ) : null}
    </div>
  );
}
