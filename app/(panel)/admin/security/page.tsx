/** `/admin/security`: two-factor login requirements by role and per user, and resets. */
import type { Metadata } from "next";
import { TwoFactorRolesForm } from "@/components/auth/two-factor-roles-form";
import { AdminSettingsForms } from "@/components/notifications/admin-settings-forms";
import { adminSettingsValues } from "@/lib/server/events/admin-settings-values";
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { columnsOf, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchForm } from "@/components/ui/search-form";
import { resetUserTwoFactorAction, setUserTwoFactorRequiredAction } from "@/lib/actions/two-factor/admin-two-factor-actions";
import { load } from "@/lib/server/load";
import { formatDateTime } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listTwoFactorUsers } from "@/lib/server/two-factor/admin-two-factor";
import { mustUseTwoFactor, twoFactorRoles } from "@/lib/server/two-factor/policy";

export const metadata: Metadata = { title: "Security" };
export const dynamic = "force-dynamic";

/** Security page. */
export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ page?: string; q?: string }> }) {
  const me = await requireRole("ADMIN");
  const sp = await searchParams;
  const actor = await currentActor();
  const [required, users] = await Promise.all([load(twoFactorRoles), load(listTwoFactorUsers, actor, { page: sp.page, q: sp.q })]);
  const columns = columnsOf(users.items, [
    { header: "Email", cell: (u) => <span className="font-medium">{u.email}</span> },
    { header: "Role", cell: (u) => u.role.toLowerCase() },
    {
      header: "Two-factor",
      cell: (u) =>
        u.totpEnabled ? (
          <Badge tone="green">on{u.totpEnabledAt ? ` since ${formatDateTime(u.totpEnabledAt)}` : ""}</Badge>
        ) : mustUseTwoFactor(u, required) ? (
          <Badge tone="amber">required, not set up</Badge>
        ) : (
          <Badge>off</Badge>
        ),
    },
    { header: "Recovery codes", cell: (u) => (u.totpEnabled ? u._count.recoveryCodes : "—") },
    {
      header: "Actions",
      cell: (u) => (
        <span className="flex flex-wrap gap-2">
          <ActionButton look="secondary" action={setUserTwoFactorRequiredAction.bind(null, u.id, !u.twoFactorRequired)}>
            {u.twoFactorRequired ? "Stop requiring" : "Require"}
          </ActionButton>
          {u.totpEnabled && u.id !== me.id ? (
            <ActionButton look="danger" confirm={`Turn off two-factor login of ${u.email} and end its sessions?`} action={resetUserTwoFactorAction.bind(null, u.id)}>
              Reset
            </ActionButton>
          ) : null}
        </span>
      ),
    },
  ]);
  return (
    <>
      <PageHeader title="Security" description="Two-factor login: who must use it, who does." />
      <Card title="Require two-factor login" className="mb-6">
        <TwoFactorRolesForm required={required} />
      </Card>
      <Card title="E-mail and usage" className="mb-6">
        <AdminSettingsForms v={await load(adminSettingsValues)} />
      </Card>
      <Card title="Users">
        <SearchForm q={sp.q} placeholder="Search email or name" />
        <DataTable testId="two-factor-users" rows={users.items} rowKey={(u) => u.id} empty={<EmptyState title="No user matches" />}
          columns={columns}
        />
        <Pager page={users.page} pages={users.pages} total={users.total} params={{ q: sp.q }} />
      </Card>
    </>
  );
}
