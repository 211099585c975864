"use client";
/**
 * A server's addresses: each as it was given (the address and its prefix: /32 or /128
 * for one address, /64 for a routed prefix) and as the guest has it configured, with
 * buttons to add an IPv4 or IPv6 address live (up to the plan's maximum; a reason
 * instead of the button when none can be added) and to remove one.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { OutcomeLine, type Outcome } from "@/components/ui/outcome-line";
import { addAddressAction } from "@/lib/actions/servers/add-address-action";
import { removeAddressAction } from "@/lib/actions/servers/remove-address-action";

/** One address of the server. */
export interface ServerAddress {
  id: string;
  address: string;
  prefix: number;
  family: "IPV4" | "IPV6";
  /** How the guest has it configured (address/prefix on its interface). */
  inside: string;
}

/** Whether one more address of a family can be added, or why not. */
export type AddChoice = { ok: true; left: number } | { ok: false; why: string };

/** The card's body. */
export function AddressesCard({ serverId, addresses, canChange, add }: { serverId: string; addresses: ServerAddress[]; canChange: boolean; add: Record<"IPV4" | "IPV6", AddChoice> }) {
  const router = useRouter();
  const [busy, start] = useTransition();
  const [message, setMessage] = useState<Outcome | null>(null);
  const { dialog, ask } = useConfirm();
  const run = (fn: () => Promise<{ ok: boolean; message?: string }>, done: string) =>
    start(async () => {
      const r = await fn();
      setMessage(r.ok ? { ok: true, text: done } : { ok: false, text: r.message ?? "failed" });
      router.refresh();
    });
  return (
    <div className="space-y-3 text-sm">
      {dialog}
      {addresses.length ? (
        <ul className="space-y-1" data-testid="server-addresses">
          {addresses.map((a) => (
            <li key={a.id} className="flex items-center justify-between gap-2">
              <span>
                <span className="font-mono" data-testid="server-address">
                  {a.address}/{a.prefix}
                </span>
                {a.inside !== `${a.address}/${a.prefix}` ? <span className="block text-xs text-slate-500">inside: {a.inside}</span> : null}
              </span>
              {canChange ? (
                <button
                  type="button"
                  disabled={busy}
                  className="text-xs text-red-700 hover:underline disabled:opacity-50"
                  aria-label={`Remove ${a.address}`}
                  onClick={async () => {
                    if (await ask({ title: `Remove ${a.address}?`, consequence: "Connections to it end now and it goes back to the pool; the server may not get the same address again.", confirmLabel: "Remove" }))
                      run(() => removeAddressAction(serverId, a.id), `Removed ${a.address}.`);
                  }}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-500">No addresses.</p>
      )}
      {canChange ? (
        <div className="flex flex-wrap gap-2">
          {(["IPV4", "IPV6"] as const).map((family) => {
            const choice = add[family];
            const label = family === "IPV4" ? "IPv4" : "IPv6";
            return choice.ok ? (
              <Button
                key={family}
                look="secondary"
                disabled={busy}
                data-testid={`add-${family.toLowerCase()}`}
                onClick={() => run(() => addAddressAction(serverId, family), `Added an ${label} address; the server has it now.`)}
              >
                Add {label} ({choice.left} left)
              </Button>
            ) : (
              <span key={family} className="text-xs text-slate-500" data-testid={`no-${family.toLowerCase()}`}>
                No more {label}: {choice.why}
              </span>
            );
          })}
        </div>
      ) : null}
      <OutcomeLine outcome={message} />
    </div>
  );
}
