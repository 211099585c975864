/** `/admin/users/[userId]`: one account, its servers, its actions and (resellers) its quota. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { UserDetail } from "@/components/users/user-detail";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { resellerUsage } from "@/lib/server/resellers/reseller-usage";
import { getUserOrThrow } from "@/lib/server/users/get-user-or-throw";

export const metadata: Metadata = { title: "User" };
export const dynamic = "force-dynamic";

/** Admin user page. */
export default async function AdminUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const me = await requireRole("ADMIN");
  const { userId } = await params;
  const user = await getUserOrThrow(db(), await currentActor(), userId).catch((e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const servers = await db().vServer.findMany({ where: { ownerId: user.id }, select: { id: true, name: true, state: true }, orderBy: { name: "asc" } });
  const quota =
    user.role === "RESELLER"
      ? { resellerId: user.id, quota: await db().resellerQuota.findUnique({ where: { resellerId: user.id } }), usage: await resellerUsage(db(), user.id) }
      : undefined;
  return (
    <>
      <PageHeader title={user.email} description={user.name || undefined} />
      <UserDetail user={user} servers={servers} canManage={user.id !== me.id} quota={quota} afterDeleteHref="/admin/users" />
    </>
  );
}
