/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP) with node:crypto only:
 * HMAC-SHA-1, 30-second steps, 6 digits — what every authenticator app expects.
 * Secrets travel in base32 (RFC 4648, no padding) inside an otpauth:// URI.
 */
import crypto from "node:crypto";

/** Seconds per time step. */
export const totpPeriodSeconds = 30;
/** Digits of a code. */
export const totpDigits = 6;
/** Steps before and after the current one that are still accepted (clock drift). */
export const totpDriftSteps = 1;

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Encodes bytes as unpadded base32. */
export function base32Encode(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case-insensitive; spaces and padding ignored); throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error("not a base32 string");
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A fresh 160-bit secret (RFC 4226 recommends the HMAC's output size), base32. */
export function generateTotpSecret(): string {
  return base32Encode(crypto.randomBytes(20));
}

/** RFC 4226 HOTP of `counter` with the given HMAC algorithm and digit count. */
export function hotp(key: Uint8Array, counter: number, digits = totpDigits, algorithm: "sha1" | "sha256" | "sha512" = "sha1"): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The time step of a moment (Unix seconds / 30, rounded down). */
export function totpStep(unixSeconds: number): number {
  return Math.floor(unixSeconds / totpPeriodSeconds);
}

/** The code for a base32 secret at a moment (default: now). */
export function totpCode(secretBase32: string, unixSeconds = Date.now() / 1000): string {
  return hotp(base32Decode(secretBase32), totpStep(unixSeconds));
}

/**
 * Checks a code against the steps around `unixSeconds` and returns the step it matched
 * (so the caller can refuse that step and older ones next time), or null. Compared in
 * constant time; anything but exactly six digits never matches.
 */
export function matchTotp(secretBase32: string, code: string, unixSeconds = Date.now() / 1000): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secretBase32);
  const now = totpStep(unixSeconds);
  let matched: number | null = null;
  for (let step = now - totpDriftSteps; step <= now + totpDriftSteps; step++) {
    // Every candidate is computed and compared, so timing does not tell which step matched.
    if (crypto.timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code)) && matched === null) matched = step;
  }
  return matched;
}

/** The otpauth:// URI authenticator apps read from a QR code or a link. */
export function otpauthUri(secretBase32: string, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret: secretBase32, issuer, algorithm: "SHA1", digits: String(totpDigits), period: String(totpPeriodSeconds) });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, "%20")}`;
}
