"use client";
/**
 * The admin sets a reseller's quota: totals across its servers (current use beside each
 * figure), and per-server bounds of what it may sell (its plans and its customers'
 * servers). A bound left empty on a new quota takes the default.
 */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { setQuotaAction } from "@/lib/actions/users/user-actions";
import { planBoundFields, type PlanBounds } from "@/lib/server/resellers/plan-bounds";

type Quota = { maxServers: number; maxCpuMilli: number; maxMemoryMb: number; maxDiskMb: number; maxIpv4: number; maxIpv6: number } & PlanBounds;
type Usage = { servers: number; cpuMilli: number; memoryMb: number; diskMb: number; ipv4: number; ipv6: number };

/** Quota form. */
export function QuotaForm({ resellerId, quota, usage }: { resellerId: string; quota: Quota | null; usage: Usage }) {
  const fields: [keyof Quota, string, number][] = [
    ["maxServers", "Servers", usage.servers],
    ["maxCpuMilli", "CPU (thousandths of a core)", usage.cpuMilli],
    ["maxMemoryMb", "Memory (MB)", usage.memoryMb],
    ["maxDiskMb", "Disk (MB)", usage.diskMb],
    ["maxIpv4", "IPv4 addresses", usage.ipv4],
    ["maxIpv6", "IPv6 addresses", usage.ipv6],
  ];
  return (
    <ActionForm action={setQuotaAction.bind(null, resellerId)} resetOnSuccess={false} testId="quota-form">
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3">
        {fields.map(([name, label, used]) => (
          <FormField key={name} label={label} name={name} type="number" min={0} defaultValue={quota?.[name] ?? 0} hint={`in use: ${used}`} />
        ))}
      </div>
      <fieldset className="space-y-3" data-testid="quota-bounds">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Per-server bounds of the reseller&apos;s plans and servers</legend>
        <div className="grid grid-cols-2 gap-4 md:grid-cols-3">
          {planBoundFields.map((b) => (
            <FormField
              key={b.bound}
              label={b.label}
              name={b.bound}
              type="number"
              min={0}
              defaultValue={quota?.[b.bound]}
              placeholder={quota ? undefined : "default"}
              hint={b.zeroIsUnlimited ? "0 = may sell unlimited" : undefined}
            />
          ))}
        </div>
      </fieldset>
      <SubmitButton>Save quota</SubmitButton>
    </ActionForm>
  );
}
