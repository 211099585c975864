/** CPU fractions ("0.5", "50%") and plain counts ("128", "unlimited") from user input. */
import { badInput } from "../../errors";
import { unlimitedWords } from "./size";

/**
 * Parses a CPU share of the host as a fraction of cores: "0.5" is half a core, "2" two
 * cores, "50%" half a core. "unlimited"/"max" give `null`. Zero and negatives are refused
 * here; the upper bound (host cores) is checked where the host is known.
 */
export function parseCpuFraction(text: string, field: string): number | null {
  const value = text.trim();
  if (unlimitedWords.includes(value.toLowerCase())) return null;
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(value);
  if (!match) throw badInput(field, `"${text}" is not a CPU amount (examples: 0.5, 2, 50%)`);
  const fraction = Number(match[1]) / (match[2] ? 100 : 1);
  if (!(fraction > 0)) throw badInput(field, "must be above zero (use unlimited for no limit)");
  return fraction;
}

/** Parses a non-negative integer count, or `null` for "unlimited"/"max". */
export function parseCount(text: string, field: string): number | null {
  const value = text.trim();
  if (unlimitedWords.includes(value.toLowerCase())) return null;
  if (!/^\d+$/.test(value)) throw badInput(field, `"${text}" is not a whole number`);
  const count = Number(value);
  if (!Number.isSafeInteger(count)) throw badInput(field, `"${text}" is too large`);
  return count;
}
