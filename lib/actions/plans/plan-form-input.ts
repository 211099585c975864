/** A plan form's data as the plan functions take it (price entered in currency units, stored in cents). */
import { formObject } from "@/lib/actions/run-action";

const numbers = [
  "cpuMilli", "cpuMilliMax", "cpuWeight", "memoryMb", "memoryMbMax", "swapMb", "swapMbMax", "diskMb", "diskMbMax", "inodes", "pids", "pidsMax",
  "ioReadBps", "ioWriteBps", "ioReadIops", "ioWriteIops", "netRateMbit", "trafficGb", "overQuotaMbit", "ipv4Count", "ipv4Max", "ipv6Count", "ipv6Max", "priceCents", "price",
  "backupSlots", "backupWeekday", "keepDaily", "keepWeekly", "keepMonthly",
];

/** Reads the form. */
export function planFormInput(form: FormData): Record<string, unknown> {
  const raw = formObject(form, { numbers, checkboxes: ["customerSelectable"] });
  if (typeof raw.price === "number") raw.priceCents = Math.round(raw.price * 100);
  delete raw.price;
  delete raw.confirmed;
  return raw;
}
