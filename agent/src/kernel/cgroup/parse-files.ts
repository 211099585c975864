/**
 * Parsers for the text formats of cgroup interface files, shared by v1 and v2:
 * flat keyed ("key value" per line: cpu.stat, memory.stat, memory.events,
 * memory.oom_control), nested keyed ("MAJ:MIN k=v k=v": io.stat, io.max), single values
 * where "max" (v2) or a huge number (v1) means unlimited, and kernel CPU lists.
 */

// v1 reports "unlimited" as PAGE_COUNTER_MAX pages in bytes (9223372036854771712) or
// LLONG_MAX; anything at or above 2^62 is unlimited and would lose precision anyway.
const unlimitedThreshold = 2 ** 62;

/** "key value" lines to a map of numbers; lines that do not fit are skipped. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.split("\n")) {
    const [key, value, extra] = line.trim().split(/\s+/);
    if (key && value !== undefined && extra === undefined && /^-?\d+$/.test(value)) {
      result.set(key, Number(value));
    }
  }
  return result;
}

/** "MAJ:MIN key=value ..." lines to a map keyed by device; "max" values become null. */
export function parseNestedKeyed(text: string): Map<string, Map<string, number | null>> {
  const result = new Map<string, Map<string, number | null>>();
  for (const line of text.split("\n")) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    if (!device || !/^\d+:\d+$/.test(device)) continue;
    const values = new Map<string, number | null>();
    for (const pair of pairs) {
      const [key, value] = pair.split("=");
      if (!key || value === undefined) continue;
      if (value === "max") values.set(key, null);
      else if (/^\d+$/.test(value)) values.set(key, Number(value));
    }
    result.set(device, values);
  }
  return result;
}

/** One integer, or null for "max" / v1's "unlimited" sentinels / -1. */
export function parseLimit(text: string, path: string): number | null {
  const value = text.trim();
  if (value === "max" || value === "-1") return null;
  if (!/^\d+$/.test(value)) throw new Error(`${path}: expected a number or "max", got "${value}"`);
  const number = Number(value);
  return number >= unlimitedThreshold ? null : number;
}

/** One integer that must be there. */
export function parseInteger(text: string, path: string): number {
  const value = text.trim();
  if (!/^-?\d+$/.test(value)) throw new Error(`${path}: expected an integer, got "${value}"`);
  return Number(value);
}

/** A kernel CPU list ("0-3,8,10-11") to sorted CPU numbers; null if the syntax is wrong. */
export function parseCpuList(text: string): number[] | null {
  const value = text.trim();
  if (value === "") return [];
  const cpus = new Set<number>();
  for (const part of value.split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first || last - first > 65536) return null;
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** Sorted CPU numbers to the kernel's compact list form. */
export function formatCpuList(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}
