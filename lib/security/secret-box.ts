/**
 * Authenticated encryption of small secrets at rest (agent credentials in the Host
 * table) with AES-256-GCM under a key derived from the panel secret. A database dump
 * alone therefore does not give control of the hosts.
 */
import crypto from "node:crypto";

function key(secret: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "vserver-panel", purpose, 32));
}

/** Encrypts `plain` for `purpose`; output is `v1.iv.tag.ciphertext` in base64url. */
export function seal(secret: string, purpose: string, plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(secret, purpose), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((x) => (typeof x === "string" ? x : x.toString("base64url"))).join(".");
}

/** Decrypts what {@link seal} made; throws if it was altered or sealed with another secret. */
export function open(secret: string, purpose: string, sealed: string): string {
  const [v, iv, tag, data] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || data === undefined) throw new Error("sealed value is malformed");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(secret, purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
