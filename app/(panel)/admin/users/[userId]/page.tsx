/** `/admin/users/[userId]`: one account, its servers, its actions and (resellers) its quota. */
import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { UserDetail } from "@/components/users/user-detail";
import { load } from "@/lib/server/load";
import { listOwnedServers } from "@/lib/server/users/list-owned-servers";
import { readResellerQuota } from "@/lib/server/resellers/read-reseller-quota";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { resellerUsage } from "@/lib/server/resellers/reseller-usage";
import { getUserOrThrow } from "@/lib/server/users/get-user-or-throw";
import { loadOrNotFound } from "@/lib/server/load-or-not-found";

export const metadata: Metadata = { title: "User" };
export const dynamic = "force-dynamic";

/** Admin user page. */
export default async function AdminUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const me = await requireRole("ADMIN");
  const { userId } = await params;
  const user = await loadOrNotFound(getUserOrThrow, await currentActor(), userId);
  const servers = await load(listOwnedServers, await currentActor(), user.id);
  const quota =
    user.role === "RESELLER"
      ? { resellerId: user.id, quota: await load(readResellerQuota, await currentActor(), user.id), usage: await load(resellerUsage, user.id) }
      : undefined;
  return (
    <>
      <PageHeader title={user.email} description={user.name || undefined} />
      <UserDetail user={user} servers={servers} canManage={user.id !== me.id} quota={quota} afterDeleteHref="/admin/users" />
    </>
  );
}
