/**
 * The `bcapabilities` file: changes to the default capability bounding set
 * (launch/default-caps.ts). One capability per line: `CAP_NET_ADMIN` ADDS it to the
 * default set, `~CAP_MKNOD` (or `!CAP_MKNOD`) REMOVES it. Lines are normalized to
 * `CAP_X` / `~CAP_X`; an unknown name is an error naming the file.
 */
import { applyBcapabilities, capabilityNumber } from "../../kernel/launch/capabilities";
import { defaultKeptCaps } from "../../kernel/launch/default-caps";
import { badConfig, readLines } from "./value-files";

/** Normalizes one bcapabilities entry ("net_admin", "!CAP_MKNOD") to `CAP_X` or `~CAP_X`;
 * returns undefined for an unknown capability. */
export function normalizeBcap(entry: string): string | undefined {
  const t = entry.trim();
  const remove = t.startsWith("~") || t.startsWith("!");
  const name = (remove ? t.slice(1) : t).trim();
  if (capabilityNumber(name) === undefined) return undefined;
  return `${remove ? "~" : ""}CAP_${name.toUpperCase().replace(/^CAP_/, "")}`;
}

/** Reads and validates the file: the normalized entries, in file order. */
export function readBcapabilities(file: string): string[] {
  return readLines(file).map((line) => {
    const n = normalizeBcap(line);
    if (n === undefined) throw badConfig(file, `unknown capability "${line}"`);
    return n;
  });
}

/** Applies entries to a list: a later entry for the same capability replaces an earlier one. */
export function mergeBcaps(current: readonly string[], changes: readonly string[]): string[] {
  const byCap = new Map<string, string>();
  for (const e of [...current, ...changes]) byCap.set(e.replace(/^~/, ""), e);
  return [...byCap.values()];
}

/** The capability numbers a server keeps: the default set changed by its entries. */
export function keptCapabilities(entries: readonly string[]): number[] {
  return applyBcapabilities(defaultKeptCaps(), entries.join("\n"));
}
