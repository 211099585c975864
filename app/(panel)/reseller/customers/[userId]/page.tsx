/** `/reseller/customers/[userId]`: one of the reseller's customers. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { UserDetail } from "@/components/users/user-detail";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { getUserOrThrow } from "@/lib/server/users/get-user-or-throw";

export const metadata: Metadata = { title: "Customer" };
export const dynamic = "force-dynamic";

/** Reseller's customer page. */
export default async function ResellerCustomerPage({ params }: { params: Promise<{ userId: string }> }) {
  const me = await requireRole("RESELLER");
  const { userId } = await params;
  const user = await getUserOrThrow(db(), await currentActor(), userId).catch((e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  if (user.id === me.id) notFound();
  const servers = await db().vServer.findMany({ where: { ownerId: user.id }, select: { id: true, name: true, state: true }, orderBy: { name: "asc" } });
  return (
    <>
      <PageHeader title={user.email} description={user.name || undefined} />
      <UserDetail user={user} servers={servers} canManage afterDeleteHref="/reseller/customers" />
    </>
  );
}
