/**
 * Who must use two-factor login: every user of a role an admin chose (a panel setting)
 * and single users an admin marked. Read on every request with the session check, so a
 * new requirement applies at once: a user who must but has not enrolled is sent to
 * enrollment and can do nothing else until done.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { roles, type RoleName } from "@/lib/auth/roles";

/** The Setting row holding the roles that must use two-factor login (a JSON array). */
export const twoFactorRolesKey = "security.twoFactorRoles";

const storedRoles = z.array(z.enum(roles));

/** The roles an admin requires two-factor login for. A malformed value means none. */
export async function twoFactorRoles(db: Db): Promise<RoleName[]> {
  const row = await db.setting.findUnique({ where: { key: twoFactorRolesKey } });
  if (!row) return [];
  try {
    const parsed = storedRoles.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** True when this user must log in with a second factor. */
export function mustUseTwoFactor(user: { role: RoleName; twoFactorRequired: boolean }, requiredRoles: readonly RoleName[]): boolean {
  return user.twoFactorRequired || requiredRoles.includes(user.role);
}
