/** `/account`: the signed-in user's own account. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ChangePasswordForm, SupportConsentForm } from "@/components/account/account-forms";
import { db } from "@/lib/db/client";
import { requireUser } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

/** Account page. */
export default async function AccountPage() {
  const user = await requireUser();
  const row = await db().user.findUniqueOrThrow({ where: { id: user.id }, select: { allowSupportConsole: true } });
  return (
    <>
      <PageHeader title="Account" description={user.email} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Password">
          <ChangePasswordForm />
        </Card>
        {user.role === "CUSTOMER" ? (
          <Card title="Support access">
            <SupportConsentForm allowed={row.allowSupportConsole} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
