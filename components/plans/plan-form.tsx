"use client";
/** Create a plan: defaults and slider maxima for each resource, counts of addresses, price. */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { createPlanAction } from "@/lib/actions/plans/plan-actions";

const pairs: [string, string, string, string, string][] = [
  ["CPU (thousandths of a core)", "cpuMilli", "1000", "cpuMilliMax", "2000"],
  ["Memory (MB)", "memoryMb", "1024", "memoryMbMax", "2048"],
  ["Swap (MB)", "swapMb", "0", "swapMbMax", "512"],
  ["Disk (MB)", "diskMb", "10240", "diskMbMax", "20480"],
  ["Processes", "pids", "256", "pidsMax", "1024"],
];

/** Plan form. */
export function PlanForm() {
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
            <FormField label={`${label}: default`} name={def} type="number" min={0} defaultValue={defValue} required />
            <FormField label="maximum" name={max} type="number" min={0} defaultValue={maxValue} required />
          </div>
        ))}
      </div>
      <div className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <FormField label="IPv4 addresses" name="ipv4Count" type="number" min={0} defaultValue="1" />
        <FormField label="IPv6 addresses" name="ipv6Count" type="number" min={0} defaultValue="1" />
        <FormField label="Network rate (Mbit/s, 0 = unlimited)" name="netRateMbit" type="number" min={0} defaultValue="100" />
        <FormField label="Traffic (GB/month, 0 = unmetered)" name="trafficGb" type="number" min={0} defaultValue="1000" />
      </div>
      <SubmitButton>Create plan</SubmitButton>
    </ActionForm>
  );
}
