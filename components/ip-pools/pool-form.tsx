"use client";
/** Create an IP pool: network, gateway, what each server gets, reserved addresses, hosts. */
import { ActionForm, FormField, FormSelect, SubmitButton } from "@/components/ui/form";
import { createPoolAction } from "@/lib/actions/ip-pools/create-pool-action";

/** Pool form; `hosts` are the hosts that may use the pool. */
export function PoolForm({ hosts }: { hosts: { id: string; name: string }[] }) {
  return (
    <ActionForm action={createPoolAction} testId="pool-form">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <FormField label="Name" name="name" required placeholder="public-v4" />
        <FormField label="Network (CIDR)" name="cidr" required placeholder="192.0.2.0/24 or 2001:db8::/48" />
        <FormField label="Gateway" name="gateway" placeholder="192.0.2.1" hint="Never handed out." />
        <FormSelect label="Each server gets" name="assignPrefix" defaultValue="">
          <option value="">a single address (/32 or /128)</option>
          <option value="64">an IPv6 /64</option>
        </FormSelect>
        <FormField label="Reserved addresses" name="reserved" placeholder="192.0.2.2, 192.0.2.3" hint="Comma-separated; never handed out." className="md:col-span-2" />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Hosts that use this pool</legend>
        <div className="mt-2 flex flex-wrap gap-4">
          {hosts.map((h) => (
            <label key={h.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="hostIds" value={h.id} defaultChecked={hosts.length === 1} /> {h.name}
            </label>
          ))}
        </div>
      </fieldset>
      <SubmitButton>Create pool</SubmitButton>
    </ActionForm>
  );
}
