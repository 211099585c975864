"use client";
/** The admin sets a reseller's quota; current use is shown beside each figure. */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { setQuotaAction } from "@/lib/actions/users/user-actions";

type Quota = { maxServers: number; maxCpuMilli: number; maxMemoryMb: number; maxDiskMb: number; maxIpv4: number; maxIpv6: number };
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
      <SubmitButton>Save quota</SubmitButton>
    </ActionForm>
  );
}
