/** `/reseller/tokens`: the reseller's API tokens. */
import type { Metadata } from "next";
import { TokenPage } from "@/components/tokens/token-page";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

/** Reseller tokens page. */
export default async function ResellerTokensPage() {
  await requireRole("RESELLER");
  return <TokenPage />;
}
