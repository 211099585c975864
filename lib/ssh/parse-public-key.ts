/**
 * Reads one OpenSSH public key line ("ssh-ed25519 AAAA… name") the way sshd would: the
 * base64 blob is decoded and its own type and key material are checked, so a key that
 * merely looks right (a wrong type word, a truncated blob, a 1024-bit RSA key) is refused
 * before it reaches a guest's authorized_keys. Pure: used by the panel and its tests.
 */
import crypto from "node:crypto";

/** The key types the panel accepts (no DSA: OpenSSH dropped it; RSA from 2048 bits). */
export const acceptedKeyTypes = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"] as const;

/** A checked key. */
export interface ParsedPublicKey {
  type: (typeof acceptedKeyTypes)[number];
  bits: number;
  /** The blob, re-encoded (canonical base64). */
  blob: string;
  /** The comment after the blob ("" when none). */
  comment: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it (unpadded base64 of the blob's SHA-256). */
  fingerprint: string;
}

/** Why a key was refused: a sentence for the user. */
export class PublicKeyError extends Error {
  override readonly name = "PublicKeyError";
}

const ecdsaBits: Record<string, number> = { nistp256: 256, nistp384: 384, nistp521: 521 };

/** Reads the SSH wire format's length-prefixed strings. */
function reader(buf: Buffer) {
  let at = 0;
  return {
    next(): Buffer {
      if (at + 4 > buf.length) throw new PublicKeyError("the key data is truncated");
      const len = buf.readUInt32BE(at);
      at += 4;
      if (len > buf.length - at) throw new PublicKeyError("the key data is truncated");
      const out = buf.subarray(at, at + len);
      at += len;
      return out;
    },
    done: () => at === buf.length,
  };
}

/** Bit length of an SSH mpint (big-endian, may carry a leading zero byte). */
function mpintBits(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]!));
}

/** Parses and checks a key line; throws PublicKeyError with the reason. */
export function parsePublicKey(line: string): ParsedPublicKey {
  const text = line.trim();
  if (!text) throw new PublicKeyError("is empty: paste the contents of your id_ed25519.pub (or id_rsa.pub)");
  if (/[\r\n]/.test(text)) throw new PublicKeyError("must be a single key line");
  if (text.startsWith("-----BEGIN")) throw new PublicKeyError("is a private key or PEM file: paste the public key (the .pub file) instead");
  const [type = "", data = "", ...rest] = text.split(/\s+/);
  if (type === "ssh-dss") throw new PublicKeyError("is a DSA key, which OpenSSH no longer accepts: use ed25519, ECDSA or RSA of 2048 bits or more");
  if (!(acceptedKeyTypes as readonly string[]).includes(type)) throw new PublicKeyError(`has the type "${type.slice(0, 40)}": accepted are ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new PublicKeyError("has no valid base64 key data after the type");
  const blob = Buffer.from(data, "base64");
  const r = reader(blob);
  const inner = r.next().toString("latin1");
  if (inner !== type) throw new PublicKeyError(`says "${type}" but its data is a "${inner.slice(0, 40)}" key`);
  let bits: number;
  if (type === "ssh-ed25519") {
    if (r.next().length !== 32) throw new PublicKeyError("has an ed25519 key of the wrong length");
    bits = 256;
  } else if (type === "ssh-rsa") {
    const e = r.next();
    const n = r.next();
    if (mpintBits(e) < 2) throw new PublicKeyError("has an invalid RSA exponent");
    bits = mpintBits(n);
    if (bits < 2048) throw new PublicKeyError(`is an RSA key of ${bits} bits: at least 2048 are needed`);
  } else {
    const curve = r.next().toString("latin1");
    if (`ecdsa-sha2-${curve}` !== type) throw new PublicKeyError(`names the curve "${curve.slice(0, 20)}", which does not match its type`);
    const point = r.next();
    const size = Math.ceil(ecdsaBits[curve]! / 8);
    if (point.length !== 1 + 2 * size || point[0] !== 4) throw new PublicKeyError("has an ECDSA point of the wrong size");
    bits = ecdsaBits[curve]!;
  }
  if (!r.done()) throw new PublicKeyError("has extra data after the key");
  const fingerprint = `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
  return { type: type as ParsedPublicKey["type"], bits, blob: blob.toString("base64"), comment: rest.join(" "), fingerprint };
}
