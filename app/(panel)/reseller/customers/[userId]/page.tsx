/** `/reseller/customers/[userId]`: one of the reseller's customers. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { UserDetail } from "@/components/users/user-detail";
import { load } from "@/lib/server/load";
import { listOwnedServers } from "@/lib/server/users/list-owned-servers";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { getUserOrThrow } from "@/lib/server/users/get-user-or-throw";
import { loadOrNotFound } from "@/lib/server/load-or-not-found";

export const metadata: Metadata = { title: "Customer" };
export const dynamic = "force-dynamic";

/** Reseller's customer page. */
export default async function ResellerCustomerPage({ params }: { params: Promise<{ userId: string }> }) {
  const me = await requireRole("RESELLER");
  const { userId } = await params;
  const user = await loadOrNotFound(getUserOrThrow, await currentActor(), userId);
  if (user.id === me.id) notFound();
  const servers = await load(listOwnedServers, await currentActor(), user.id);
  return (
    <>
      <PageHeader title={user.email} description={user.name || undefined} />
      <UserDetail user={user} servers={servers} canManage afterDeleteHref="/reseller/customers" />
    </>
  );
}
