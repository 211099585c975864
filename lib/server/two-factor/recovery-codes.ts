/**
 * One-time recovery codes for a user who lost the authenticator: ten random codes of
 * about 50 bits, shown once. Only an HMAC keyed from the panel secret is stored, so neither a
 * database dump nor an offline search over the (small) code space gives a usable code.
 */
import crypto from "node:crypto";
import { panelSecret } from "@/lib/env";

/** How many codes a user gets at a time. */
export const recoveryCodeCount = 10;

// Unambiguous letters and digits (no 0/O, 1/I/L): 31 symbols, about 5 bits each.
const symbols = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Normalises a typed code: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

/** True when the input has the shape of a recovery code (not a six-digit TOTP code). */
export function looksLikeRecoveryCode(input: string): boolean {
  return /^[A-HJKMNP-Z2-9]{10}$/.test(normalizeRecoveryCode(input));
}

/** The stored form of a code. */
export function hashRecoveryCode(code: string): string {
  const key = crypto.hkdfSync("sha256", panelSecret(), "vserver-panel", "recovery-code", 32);
  return crypto.createHmac("sha256", Buffer.from(key)).update(normalizeRecoveryCode(code)).digest("hex");
}

/** Fresh codes, formatted `XXXXX-XXXXX`, with their hashes. */
export function generateRecoveryCodes(count = recoveryCodeCount): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => symbols[crypto.randomInt(symbols.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}
