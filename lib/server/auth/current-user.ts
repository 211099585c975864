/**
 * The signed-in user of a server request, and guards for pages and actions. Pages call
 * `requireUser()` (redirects to /login) or `requireRole(...)` (404 for other roles, so
 * a page's existence is not revealed). A session held at two-factor enrollment (2FA is
 * required of the user and not set up) is no user here: pages send it to the set-up
 * page and actions refuse it, so it can do nothing else.
 */
import "server-only";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db/client";
import type { RoleName } from "@/lib/auth/roles";

/** The user as the session knows it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: RoleName;
}

/** Where a session that must enroll in two-factor login is sent. */
export const twoFactorSetupPath = "/two-factor/setup";

/** The session's user and its two-factor state, or null when signed out (or revoked). */
export async function currentSession(): Promise<{ user: SessionUser; twoFactor: "ok" | "enroll" } | null> {
  const session = await getServerSession(authOptions());
  return session?.user ? { user: session.user, twoFactor: session.twoFactor ?? "ok" } : null;
}

/** The current user, or null when signed out, revoked, or held at two-factor enrollment. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await currentSession();
  return session?.twoFactor === "ok" ? session.user : null;
}

/** The current user; redirects to the login page when signed out (to 2FA set-up when held there). */
export async function requireUser(): Promise<SessionUser> {
  const session = await currentSession();
  if (!session) redirect("/login");
  if (session.twoFactor !== "ok") redirect(twoFactorSetupPath);
  // A password an admin or reseller set is replaced by the user's own before anything else.
  if (await mustChangePassword(session.user.id)) redirect(passwordChangePath);
  return session.user;
}

/** Where a user whose password someone else set chooses its own. */
export const passwordChangePath = "/password/change";

async function mustChangePassword(userId: string): Promise<boolean> {
  return (await db().user.findUnique({ where: { id: userId }, select: { mustChangePassword: true } }))?.mustChangePassword ?? false;
}

/** The current user if it has one of the roles; otherwise a 404 page. */
export async function requireRole(...allowed: RoleName[]): Promise<SessionUser> {
  const user = await requireUser();
  if (!allowed.includes(user.role)) notFound();
  return user;
}
