/** `/account`: the signed-in user's own account. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Account" };

/** Account page. */
export default async function AccountPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader title="Account" />
      <Card>
        <dl className="text-sm">
          <dt className="text-slate-500">Email</dt>
          <dd className="mb-2 font-medium">{user.email}</dd>
          <dt className="text-slate-500">Role</dt>
          <dd className="font-medium">{user.role.toLowerCase()}</dd>
        </dl>
      </Card>
    </>
  );
}
