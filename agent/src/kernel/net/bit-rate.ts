/**
 * Network rates in bits per second, as hosting plans state them ("100M" = 100 Mbit/s).
 * Decimal multiples (k = 1000), the convention of line rates and of `tc`, unlike disk
 * and memory sizes (../units), which are binary.
 */
import { badInput } from "../../errors";
import { unlimitedWords } from "../units";

/** Slowest limit we accept: below ~1 kB/s HTB's timers make the limit meaningless. */
export const MIN_BIT_RATE = 8_000;
/** Fastest limit we accept (400 Gbit/s): HTB takes 64-bit rates, NICs stop earlier. */
export const MAX_BIT_RATE = 400_000_000_000;

const factors: Record<string, number> = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const ratePattern = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:bit|bps|b)?(?:\/s)?$/i;

/**
 * Parses "100M", "1.5G", "800k", "100mbit", "20Mbps" or a plain number of bits/s.
 * "unlimited"/"max"/"none"/"-1" give `null`. Throws BAD_REQUEST naming `field`.
 */
export function parseBitRate(text: string, field: string): number | null {
  const value = text.trim();
  if (unlimitedWords.includes(value.toLowerCase())) return null;
  const match = ratePattern.exec(value);
  if (!match) throw badInput(field, `"${text}" is not a bit rate (examples: 100M, 1.5G, 800k, unlimited)`);
  const bits = Math.round(Number(match[1]) * factors[match[2]!.toLowerCase()]!);
  return checkBitRate(bits, field);
}

/** Checks a rate given as a number (bits/s) or `null`/`undefined` for no limit. */
export function checkBitRate(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw badInput(field, "must be an integer number of bits per second, or null for no limit");
  }
  if (value < MIN_BIT_RATE || value > MAX_BIT_RATE) {
    throw badInput(field, `must be between ${MIN_BIT_RATE} and ${MAX_BIT_RATE} bits/s, got ${value}`);
  }
  return value;
}

/** Formats bits/s the way {@link parseBitRate} reads them back ("100M"). */
export function formatBitRate(bits: number | null): string {
  if (bits === null) return "unlimited";
  for (const unit of ["T", "G", "M", "k"]) {
    const factor = factors[unit.toLowerCase()]!;
    if (bits >= factor && bits % factor === 0) return `${bits / factor}${unit}`;
  }
  return String(bits);
}
