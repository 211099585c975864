/**
 * The fields of a plan (create and edit share them): defaults and maxima, per-server
 * limits, addresses, price, what customers may pick. Under a reseller's bounds (set by
 * the admin on its quota) each bounded field says its bound, and a new plan's suggested
 * value starts within it.
 */
import { FormField } from "@/components/ui/form";
import { planBoundFields, type PlanBounds } from "@/lib/server/resellers/plan-bounds";
import type { PlanLimits } from "@/lib/server/vservers/provision/fit-plan";

/** A plan's values to start the form from (edit), or none (create: suggested values): the
 * limits a server is fitted from (one list, fit-plan.ts) and the plan's other fields. */
export interface PlanValues extends PlanLimits {
  name: string;
  priceCents: number;
  currency: string;
  ipv4Count: number;
  ipv4Max: number;
  ipv6Count: number;
  ipv6Max: number;
  trafficGb: number;
  overQuotaPolicy?: string;
  overQuotaMbit?: number;
  customerSelectable: boolean;
  backupSlots?: number;
  backupSchedule?: string;
  backupTime?: string;
  backupWeekday?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
}

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

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
  cpuWeight: 100,
  inodes: 0,
  ioReadBps: 0,
  ioWriteBps: 0,
  ioReadIops: 0,
  ioWriteIops: 0,
  netRateMbit: 100,
  trafficGb: 1000,
  customerSelectable: false,
  backupSlots: 3,
  backupSchedule: "NONE",
  backupTime: "03:00",
  backupWeekday: 0,
  keepDaily: 7,
  keepWeekly: 4,
  keepMonthly: 0,
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

const singles: [string, keyof PlanValues][] = [
  ["CPU weight (1..10000, 100 = normal)", "cpuWeight"],
  ["Inodes (0 = unlimited)", "inodes"],
  ["Disk reads (bytes/s, 0 = unlimited)", "ioReadBps"],
  ["Disk writes (bytes/s, 0 = unlimited)", "ioWriteBps"],
  ["Disk read IOPS (0 = unlimited)", "ioReadIops"],
  ["Disk write IOPS (0 = unlimited)", "ioWriteIops"],
  ["Network rate (Mbit/s, 0 = unlimited)", "netRateMbit"],
  ["Traffic (GB/month, 0 = unmetered)", "trafficGb"],
];

/**
 * A field's starting value and hint under the reseller's bounds: a suggestion starts
 * within the bound; a stored plan's value is shown as it is (the bound is the hint).
 */
function within(field: string, value: number, bounds: PlanBounds | null | undefined, suggestion: boolean): { defaultValue: number; hint?: string } {
  const b = bounds ? planBoundFields.find((f) => f.fields.includes(field)) : undefined;
  if (!b || !bounds) return { defaultValue: value };
  const bound = bounds[b.bound];
  if (b.zeroIsUnlimited && bound === 0) return { defaultValue: value, hint: "your provider allows unlimited" };
  if (!suggestion) return { defaultValue: value, hint: `at most ${bound}` };
  return { defaultValue: value === 0 && b.zeroIsUnlimited ? bound : Math.min(value, bound), hint: `at most ${bound}` };
}

/** The fields, filled from `plan` or the suggestions, under `bounds` for a reseller. */
export function PlanFields({ plan, bounds }: { plan?: PlanValues; bounds?: PlanBounds | null }) {
  const v = plan ?? suggested;
  const at = (field: keyof PlanValues) => within(field, Number(v[field]), bounds, !plan);
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
            <FormField label={`${label}: ${def.startsWith("ipv") ? "with the server" : "default"}`} name={def} type="number" min={0} {...at(def)} required />
            <FormField label={def.startsWith("ipv") ? "at most" : "maximum"} name={max} type="number" min={0} {...at(max)} required />
          </div>
        ))}
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        {singles.map(([label, name]) => (
          <FormField key={name} label={label} name={name} type="number" min={0} {...at(name)} />
        ))}
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
      <fieldset className="grid grid-cols-2 gap-4 md:grid-cols-4" data-testid="plan-backups">
        <legend className="mb-2 text-sm font-semibold">Backups</legend>
        <FormField label="On-demand backup slots" name="backupSlots" type="number" min={0} {...at("backupSlots")} />
        <label className="flex flex-col gap-1 text-sm">
          Scheduled backups
          <select name="backupSchedule" defaultValue={v.backupSchedule ?? "NONE"} className="rounded-md border px-2 py-2 dark:bg-slate-900">
            <option value="NONE">none</option>
            <option value="DAILY">daily</option>
            <option value="WEEKLY">weekly</option>
          </select>
        </label>
        <FormField label="At (UTC)" name="backupTime" type="time" defaultValue={v.backupTime ?? "03:00"} />
        <label className="flex flex-col gap-1 text-sm">
          On (weekly)
          <select name="backupWeekday" defaultValue={String(v.backupWeekday ?? 0)} className="rounded-md border px-2 py-2 dark:bg-slate-900">
            {weekdays.map((d, i) => (
              <option key={d} value={i}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <FormField label="Keep daily" name="keepDaily" type="number" min={0} {...at("keepDaily")} />
        <FormField label="Keep weekly" name="keepWeekly" type="number" min={0} {...at("keepWeekly")} />
        <FormField label="Keep monthly" name="keepMonthly" type="number" min={0} {...at("keepMonthly")} />
      </fieldset>
    </>
  );
}
