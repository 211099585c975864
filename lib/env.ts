/**
 * The panel's settings from the environment, read once and checked. The panel secret
 * (`NEXTAUTH_SECRET`) signs sessions and seals host credentials; `npm start` generates
 * one into `data/secret` on first run when none is given.
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { repoRoot } from "@/lib/db/url";

/** Where the generated secret is kept when NEXTAUTH_SECRET is not set. */
export const secretFile = path.join(repoRoot, "data", "secret");

/** Returns the panel secret, creating `data/secret` (0600) on first use if allowed. */
export function panelSecret(options: { create?: boolean } = {}): string {
  const fromEnv = process.env.NEXTAUTH_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error("NEXTAUTH_SECRET must be at least 32 characters");
    return fromEnv;
  }
  if (fs.existsSync(secretFile)) return fs.readFileSync(secretFile, "utf8").trim();
  if (!options.create) throw new Error("NEXTAUTH_SECRET is not set and data/secret does not exist (run npm start once)");
  fs.mkdirSync(path.dirname(secretFile), { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(48).toString("base64url");
  fs.writeFileSync(secretFile, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

/** The TCP port of the panel (`PORT`, default 3000). */
export function panelPort(): number {
  const raw = process.env.PORT ?? "3000";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be 1..65535, got "${raw}"`);
  return port;
}

/** Purpose label for sealing agent credentials (see lib/security/secret-box). */
export const hostCredentialPurpose = "host-credential";
