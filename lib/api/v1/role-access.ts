/**
 * Which roles' tokens may use each REST operation, and the scope a customer's token
 * needs for it. Admin and reseller tokens may use every operation (each still authorizes
 * by owner); a customer's token only the ones listed here, on its own servers, and only
 * with the scope. Kept beside the table rather than in it so the OpenAPI document and the
 * dispatcher read one list; an operation missing here is closed to customers.
 */
import type { RoleName } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import type { TokenScope } from "@/lib/server/api-tokens/token-scopes";

/** operationId → the scope a customer's token needs. */
export const customerOperationScopes: Readonly<Record<string, TokenScope>> = {
  listServers: "servers:read",
  getServer: "servers:read",
  getServerTraffic: "servers:read",
  getJob: "servers:read",
  startServer: "servers:power",
  stopServer: "servers:power",
  restartServer: "servers:power",
  powerServerWhenHostBack: "servers:power",
  reinstallServer: "servers:reinstall",
  startServerRescue: "servers:rescue",
  endServerRescue: "servers:rescue",
  getServerReverseDns: "servers:read",
  setServerReverseDns: "servers:reverse-dns",
};

/** Operations of the host inventory and moves between hosts: admins' tokens only (a reseller's gets 403). */
export const adminOnlyOperations: ReadonlySet<string> = new Set(["migrateServer", "updateHost", "evacuateHost"]);

/** The roles whose tokens may call `operationId`. */
export function rolesFor(operationId: string): RoleName[] {
  if (adminOnlyOperations.has(operationId)) return ["ADMIN"];
  return operationId in customerOperationScopes ? ["ADMIN", "RESELLER", "CUSTOMER"] : ["ADMIN", "RESELLER"];
}

/** Throws FORBIDDEN when the actor's role or token scopes do not allow `operationId`. */
export function assertOperationAllowed(actor: Actor, operationId: string): void {
  if (!rolesFor(operationId).includes(actor.role)) throw new AppError("FORBIDDEN", `a ${actor.role.toLowerCase()}'s token cannot use ${operationId}`);
  const scope = customerOperationScopes[operationId];
  if (actor.scopes && (!scope || !actor.scopes.includes(scope))) throw new AppError("FORBIDDEN", `this token lacks the scope ${scope ?? "for this operation"}`);
}
