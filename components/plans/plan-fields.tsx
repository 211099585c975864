/** The fields of a plan (create and edit share them): defaults and maxima, addresses, price, what customers may pick. */
import { FormField } from "@/components/ui/form";

/** A plan's values to start the form from (edit), or none (create: suggested values). */
export interface PlanValues {
  name: string;
  priceCents: number;
  currency: string;
  cpuMilli: number;
  cpuMilliMax: number;
  memoryMb: number;
  memoryMbMax: number;
  swapMb: number;
  swapMbMax: number;
  diskMb: number;
  diskMbMax: number;
  pids: number;
  pidsMax: number;
  ipv4Count: number;
  ipv4Max: number;
  ipv6Count: number;
  ipv6Max: number;
  netRateMbit: number;
  trafficGb: number;
  overQuotaPolicy?: string;
  overQuotaMbit?: number;
  customerSelectable: boolean;
}

// A new plan's suggestions: one IPv4 address and no IPv6 (a fresh install has IPv4 pools
// only until the admin adds an IPv6 one), room for one more of each.
const suggested: PlanValues = {
  name: "",
  priceCents: 990,
  currency: "EUR",
  cpuMilli: 1000,
  cpuMilliMax: 2000,
  memoryMb: 1024,
  memoryMbMax: 2048,
  swapMb: 0,
  swapMbMax: 512,
  diskMb: 10240,
  diskMbMax: 20480,
  pids: 256,
  pidsMax: 1024,
  ipv4Count: 1,
  ipv4Max: 2,
  ipv6Count: 0,
  ipv6Max: 1,
  netRateMbit: 100,
  trafficGb: 1000,
  customerSelectable: false,
};

const pairs: [string, keyof PlanValues, keyof PlanValues][] = [
  ["CPU (thousandths of a core)", "cpuMilli", "cpuMilliMax"],
  ["Memory (MB)", "memoryMb", "memoryMbMax"],
  ["Swap (MB)", "swapMb", "swapMbMax"],
  ["Disk (MB)", "diskMb", "diskMbMax"],
  ["Processes", "pids", "pidsMax"],
  ["IPv4 addresses", "ipv4Count", "ipv4Max"],
  ["IPv6 addresses or prefixes", "ipv6Count", "ipv6Max"],
];

/** The fields, filled from `plan` or the suggestions. */
export function PlanFields({ plan }: { plan?: PlanValues }) {
  const v = plan ?? suggested;
  return (
    <>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <FormField label="Name" name="name" required placeholder="VS-2" defaultValue={v.name} />
        <FormField label="Price per month" name="price" type="number" step="0.01" min={0} defaultValue={(v.priceCents / 100).toFixed(2)} />
        <FormField label="Currency" name="currency" defaultValue={v.currency} maxLength={3} />
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        {pairs.map(([label, def, max]) => (
          <div key={def} className="grid grid-cols-2 gap-2">
            <FormField label={`${label}: ${def.startsWith("ipv") ? "with the server" : "default"}`} name={def} type="number" min={0} defaultValue={String(v[def])} required />
            <FormField label={def.startsWith("ipv") ? "at most" : "maximum"} name={max} type="number" min={0} defaultValue={String(v[max])} required />
          </div>
        ))}
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3">
        <FormField label="Network rate (Mbit/s, 0 = unlimited)" name="netRateMbit" type="number" min={0} defaultValue={String(v.netRateMbit)} />
        <FormField label="Traffic (GB/month, 0 = unmetered)" name="trafficGb" type="number" min={0} defaultValue={String(v.trafficGb)} />
        <label className="flex flex-col gap-1 text-sm">
          Past the monthly traffic
          <select name="overQuotaPolicy" defaultValue={v.overQuotaPolicy ?? "NONE"} className="rounded-md border px-2 py-2 dark:bg-slate-900">
            <option value="NONE">nothing (count only)</option>
            <option value="THROTTLE">throttle until next month</option>
            <option value="SUSPEND">suspend the server</option>
          </select>
        </label>
        <FormField label="Throttled rate (Mbit/s)" name="overQuotaMbit" type="number" min={1} defaultValue={String(v.overQuotaMbit ?? 1)} />
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" name="customerSelectable" defaultChecked={v.customerSelectable} className="h-4 w-4" />
          Customers may switch to this plan themselves
        </label>
      </div>
    </>
  );
}
