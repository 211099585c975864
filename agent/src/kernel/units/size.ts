/**
 * Sizes and byte rates as people type them ("256M", "1.5G", "20M/s", "unlimited").
 * Binary multiples (K = 1024) because that is what `free`, `ls -h` and util-vserver's
 * rlimits mean by M and G; a hosting plan of "512M" must not come out 24 MB short.
 */
import { badInput } from "../../errors";

const multipliers: Record<string, number> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const sizePattern = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i;

/** Words that mean "no limit" in sizes, rates and counts. */
export const unlimitedWords: readonly string[] = ["unlimited", "max", "none", "-1"];

/**
 * Parses a size in bytes: a plain integer, or a number with K/M/G/T/P (optionally
 * followed by "B" or "iB"). "unlimited"/"max"/"none"/"-1" give `null`.
 * Throws BAD_REQUEST naming `field` for anything else, including negatives.
 */
export function parseSize(text: string, field: string): number | null {
  const value = text.trim();
  if (unlimitedWords.includes(value.toLowerCase())) return null;
  const match = sizePattern.exec(value);
  if (!match) {
    throw badInput(field, `"${text}" is not a size (examples: 4096, 256M, 1.5G, unlimited)`);
  }
  const bytes = Math.round(Number(match[1]) * (multipliers[match[2]!.toLowerCase()] ?? NaN));
  if (!Number.isSafeInteger(bytes)) throw badInput(field, `"${text}" is too large`);
  return bytes;
}

/** Parses a byte rate like "20M" or "20M/s" (bytes per second); see {@link parseSize}. */
export function parseRate(text: string, field: string): number | null {
  return parseSize(text.trim().replace(/\/s$/i, ""), field);
}

/** Formats bytes the way {@link parseSize} reads them back, exact when possible ("256M"). */
export function formatSize(bytes: number | null): string {
  if (bytes === null) return "unlimited";
  for (const unit of ["P", "T", "G", "M", "K"]) {
    const factor = multipliers[unit.toLowerCase()]!;
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return String(bytes);
}
