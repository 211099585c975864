/**
 * TOTP secrets at rest: sealed with the panel secret (AES-256-GCM, lib/security/secret-box)
 * under their own purpose label, so a database dump alone does not let anyone compute
 * a user's codes.
 */
import { panelSecret } from "@/lib/env";
import { open, seal } from "@/lib/security/secret-box";

const purpose = "totp-secret";

/** Seals a base32 TOTP secret for the User row. */
export function sealTotpSecret(secretBase32: string): string {
  return seal(panelSecret(), purpose, secretBase32);
}

/** Opens what {@link sealTotpSecret} made; throws if it was altered. */
export function openTotpSecret(sealed: string): string {
  return open(panelSecret(), purpose, sealed);
}
