/**
 * The signed-in user of a server request, and guards for pages and actions. Pages call
 * `requireUser()` (redirects to /login) or `requireRole(...)` (404 for other roles, so
 * a page's existence is not revealed).
 */
import "server-only";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { authOptions } from "@/lib/auth/options";
import type { RoleName } from "@/lib/auth/roles";

/** The user as the session knows it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: RoleName;
}

/** The current user, or null when signed out (or the session was revoked). */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  return session?.user ?? null;
}

/** The current user; redirects to the login page when signed out. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  return user;
}

/** The current user if it has one of the roles; otherwise a 404 page. */
export async function requireRole(...allowed: RoleName[]): Promise<SessionUser> {
  const user = await requireUser();
  if (!allowed.includes(user.role)) notFound();
  return user;
}
