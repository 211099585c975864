"use client";
/**
 * Create a plan: defaults and slider maxima for each resource, per-server limits, counts
 * of addresses, price. For a reseller (`bounds` given) each bounded field shows the
 * admin's bound and starts within it, so the defaults are a plan the panel accepts.
 */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { createPlanAction } from "@/lib/actions/plans/plan-actions";
import { planBoundFields, type PlanBounds } from "@/lib/server/resellers/plan-bounds";

const pairs: [string, string, number, string, number][] = [
  ["CPU (thousandths of a core)", "cpuMilli", 1000, "cpuMilliMax", 2000],
  ["Memory (MB)", "memoryMb", 1024, "memoryMbMax", 2048],
  ["Swap (MB)", "swapMb", 0, "swapMbMax", 512],
  ["Disk (MB)", "diskMb", 10240, "diskMbMax", 20480],
  ["Processes", "pids", 256, "pidsMax", 1024],
];

const singles: [string, string, number][] = [
  ["CPU weight (1..10000, 100 = normal)", "cpuWeight", 100],
  ["Inodes (0 = unlimited)", "inodes", 0],
  ["Disk reads (bytes/s, 0 = unlimited)", "ioReadBps", 0],
  ["Disk writes (bytes/s, 0 = unlimited)", "ioWriteBps", 0],
  ["Disk read IOPS (0 = unlimited)", "ioReadIops", 0],
  ["Disk write IOPS (0 = unlimited)", "ioWriteIops", 0],
  ["Network rate (Mbit/s, 0 = unlimited)", "netRateMbit", 100],
  ["Traffic (GB/month, 0 = unmetered)", "trafficGb", 1000],
];

/** The form's starting value and hint for a field under the reseller's bounds. */
function within(field: string, value: number, bounds: PlanBounds | null | undefined): { defaultValue: number; hint?: string } {
  const b = bounds ? planBoundFields.find((f) => f.fields.includes(field)) : undefined;
  if (!b || !bounds) return { defaultValue: value };
  const bound = bounds[b.bound];
  if (b.zeroIsUnlimited && bound === 0) return { defaultValue: value, hint: "your provider allows unlimited" };
  return { defaultValue: value === 0 && b.zeroIsUnlimited ? bound : Math.min(value, bound), hint: `at most ${bound}` };
}

/** Plan form. */
export function PlanForm({ bounds }: { bounds?: PlanBounds | null }) {
  return (
    <ActionForm action={createPlanAction} testId="plan-form">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <FormField label="Name" name="name" required placeholder="VS-2" />
        <FormField label="Price per month" name="price" type="number" step="0.01" min={0} defaultValue="9.90" />
        <FormField label="Currency" name="currency" defaultValue="EUR" maxLength={3} />
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {pairs.map(([label, def, defValue, max, maxValue]) => (
          <div key={def} className="grid grid-cols-2 gap-2">
            <FormField label={`${label}: default`} name={def} type="number" min={0} {...within(def, defValue, bounds)} required />
            <FormField label="maximum" name={max} type="number" min={0} {...within(max, maxValue, bounds)} required />
          </div>
        ))}
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <FormField label="IPv4 addresses" name="ipv4Count" type="number" min={0} defaultValue="1" />
        <FormField label="IPv6 addresses" name="ipv6Count" type="number" min={0} defaultValue="1" />
        {singles.map(([label, name, value]) => (
          <FormField key={name} label={label} name={name} type="number" min={0} {...within(name, value, bounds)} />
        ))}
      </div>
      <SubmitButton>Create plan</SubmitButton>
    </ActionForm>
  );
}
