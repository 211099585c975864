/** `/admin/tokens`: API tokens (admins see every token). */
import type { Metadata } from "next";
import { TokenPage } from "@/components/tokens/token-page";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

/** Admin tokens page. */
export default async function AdminTokensPage() {
  await requireRole("ADMIN");
  return <TokenPage />;
}
