/** `/`: sends each user to its role's home (or to the login page). */
import { redirect } from "next/navigation";
import { homeFor } from "@/lib/auth/roles";
import { currentUser } from "@/lib/server/auth/current-user";

// Reads the session: rendered per request, never at build time.
export const dynamic = "force-dynamic";

/** Redirect-only page. */
export default async function IndexPage() {
  const user = await currentUser();
  redirect(user ? homeFor[user.role] : "/login");
}
