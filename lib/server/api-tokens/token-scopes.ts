/**
 * What a customer's API token may do. Admin and reseller tokens act with all their
 * creator's rights (no scopes: billing systems need everything); a customer's token is
 * narrowed twice: to the operations a customer may use at all (`roles` on each API
 * operation) and to the scopes the customer ticked when making it, so a monitoring
 * script's token cannot reinstall a server.
 */
import { z } from "zod";

/** The scopes, with what each allows (shown in the panel and the OpenAPI document). */
export const tokenScopes = {
  "servers:read": "read own servers, their jobs and traffic",
  "servers:power": "start, stop and restart own servers",
  "servers:reinstall": "reinstall own servers (everything on the disk is replaced)",
  "servers:rescue": "start and end rescue mode of own servers",
  "servers:reverse-dns": "set the reverse DNS (PTR records) of own servers' addresses",
} as const;

/** One scope. */
export type TokenScope = keyof typeof tokenScopes;

/** Input: at least one known scope, each once. */
export const tokenScopesInput = z
  .array(z.enum(Object.keys(tokenScopes) as [TokenScope, ...TokenScope[]], { message: `must be one of ${Object.keys(tokenScopes).join(", ")}` }))
  .min(1, "choose at least one scope")
  .max(Object.keys(tokenScopes).length)
  .transform((list) => [...new Set(list)]);

/** The stored form (space-separated, in catalogue order). */
export function storeScopes(scopes: readonly TokenScope[]): string {
  return (Object.keys(tokenScopes) as TokenScope[]).filter((s) => scopes.includes(s)).join(" ");
}

/** Reads the stored form; unknown words (from a newer panel) are dropped, never widened. */
export function readScopes(stored: string | null): TokenScope[] | null {
  if (stored === null) return null;
  return stored.split(" ").filter((s): s is TokenScope => s in tokenScopes);
}
