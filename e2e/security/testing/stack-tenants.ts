/**
 * The two-tenant fixture (lib/auth/testing/tenants) in the browser stack's database, on
 * its local host, with a session per role logged in through next-auth's endpoints.
 */
import { createDb, type Db } from "@/lib/db/client";
import { databaseTarget } from "@/lib/db/url";
import { seedTenants, tenantPassword, type Tenants } from "@/lib/auth/testing/tenants";
import { mustLogin, type Cookie } from "./http-session";

/** The roles of the matrix, with anonymous. */
export const matrixRoles = ["admin", "support", "resellerA", "resellerB", "customerA", "customerB", "anonymous"] as const;

/** One of {@link matrixRoles}. */
export type MatrixRole = (typeof matrixRoles)[number];

/** The stack's database (the panel secret too, for tests that sign cookies). */
export function stackDb(): Db {
  process.env.NEXTAUTH_SECRET = process.env.E2E_NEXTAUTH_SECRET;
  return createDb(databaseTarget(process.env.E2E_DATABASE_URL));
}

/** Seeds the tenants on the local host and logs every role in. */
export async function stackTenants(db: Db): Promise<{ fx: Tenants; cookies: Record<MatrixRole, Cookie | undefined> }> {
  const host = await db.host.findFirstOrThrow({ where: { isLocal: true } });
  const fx = await seedTenants(db, host.id);
  const emails: Record<Exclude<MatrixRole, "anonymous">, string> = {
    admin: fx.adminEmail,
    support: fx.supportEmail,
    resellerA: fx.a.resellerEmail,
    resellerB: fx.b.resellerEmail,
    customerA: fx.a.customerEmail,
    customerB: fx.b.customerEmail,
  };
  const cookies = { anonymous: undefined } as Record<MatrixRole, Cookie | undefined>;
  for (const [role, email] of Object.entries(emails)) cookies[role as MatrixRole] = await mustLogin(email, tenantPassword);
  return { fx, cookies };
}
