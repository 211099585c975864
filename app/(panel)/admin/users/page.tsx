/** `/admin/users`: every account (search, filter by role, paged); create more. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchFilter, SearchForm } from "@/components/ui/search-form";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserTable } from "@/components/users/user-table";
import { load } from "@/lib/server/load";
import { listResellerChoices } from "@/lib/server/users/list-reseller-choices";
import { roles } from "@/lib/auth/roles";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listUsers } from "@/lib/server/users/list-users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

/** Users page. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<{ page?: string; q?: string; role?: string }> }) {
  await requireRole("ADMIN");
  const sp = await searchParams;
  const role = roles.find((r) => r === sp.role);
  const actor = await currentActor();
  const [users, resellers] = await Promise.all([
    load(listUsers, actor, { page: sp.page, q: sp.q, role }),
    load(listResellerChoices, actor),
  ]);
  return (
    <>
      <PageHeader title="Users" description="Administrators, resellers, customers and support staff." />
      <Card className="mb-6">
        <SearchForm q={sp.q} placeholder="Search email or name">
          <SearchFilter name="role" label="Role" value={role} anyLabel="All roles" options={roles} />
        </SearchForm>
        <UserTable users={users.items} hrefFor={(id) => `/admin/users/${id}`} />
        <Pager page={users.page} pages={users.pages} total={users.total} params={{ q: sp.q, role }} />
      </Card>
      <Card title="New user">
        <CreateUserForm asAdmin resellers={resellers} />
      </Card>
    </>
  );
}
