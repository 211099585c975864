/** Creates users straight in the test database (the admin UI for this comes later). */
import { createDb } from "@/lib/db/client";
import { databaseTarget } from "@/lib/db/url";
import { hashPassword } from "@/lib/security/password";
import type { RoleName } from "@/lib/auth/roles";

/** Creates a user with a role and password; returns its email. */
export async function createUser(role: RoleName, password: string, resellerEmail?: string): Promise<string> {
  const db = createDb(databaseTarget(process.env.E2E_DATABASE_URL));
  try {
    const email = `${role.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const reseller = resellerEmail ? await db.user.findUniqueOrThrow({ where: { email: resellerEmail } }) : null;
    await db.user.create({ data: { email, role, passwordHash: await hashPassword(password), resellerId: reseller?.id ?? null } });
    return email;
  } finally {
    await db.$disconnect();
  }
}
