/** SHA-256 of a bearer token: how agent credentials are stored and compared on both sides. */
import crypto from "node:crypto";

/** Hex SHA-256 of a token. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}
