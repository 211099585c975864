/**
 * The agent's credential: a random token the panel presents as `Bearer`. The agent
 * keeps its SHA-256 (to check) and, readable by root only, the token itself, so a local
 * operator can enroll the host in a panel (like a join token). `npm start` does that
 * for the local host. Rotating writes a new pair; the old token stops working at once.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { hashToken } from "@/lib/security/hash-token";

/** The credential files of an agent state directory. */
export function credentialFiles(stateDir: string): { token: string; hash: string } {
  return { token: path.join(stateDir, "credential"), hash: path.join(stateDir, "credential.sha256") };
}

export { hashToken };

/** Writes a fresh credential and returns the token. */
export function rotateCredential(stateDir: string): string {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const token = `vsa_${crypto.randomBytes(32).toString("base64url")}`;
  const files = credentialFiles(stateDir);
  // Write to temp names and rename, so a crash never leaves a token without its hash.
  fs.writeFileSync(`${files.token}.new`, `${token}\n`, { mode: 0o600 });
  fs.writeFileSync(`${files.hash}.new`, `${hashToken(token)}\n`, { mode: 0o600 });
  fs.renameSync(`${files.hash}.new`, files.hash);
  fs.renameSync(`${files.token}.new`, files.token);
  return token;
}

/** Returns the stored hash, creating a credential on first start. */
export function ensureCredential(stateDir: string): { hash: string; created: boolean } {
  const files = credentialFiles(stateDir);
  if (fs.existsSync(files.hash)) return { hash: fs.readFileSync(files.hash, "utf8").trim(), created: false };
  const token = rotateCredential(stateDir);
  return { hash: hashToken(token), created: true };
}

/** Reads the token (root only; used to enroll the local host). */
export function readToken(stateDir: string): string {
  return fs.readFileSync(credentialFiles(stateDir).token, "utf8").trim();
}

/** Constant-time check of a presented bearer token against the stored hash. */
export function verifyToken(presented: string | undefined, storedHash: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(hashToken(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
