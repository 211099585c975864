/** `/account/tokens`: a customer's own API tokens, each limited to the scopes chosen. */
import type { Metadata } from "next";
import { TokenPage } from "@/components/tokens/token-page";
import { requireRole } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

/** Customer tokens page. */
export default async function CustomerTokensPage() {
  await requireRole("CUSTOMER");
  return <TokenPage customer />;
}
