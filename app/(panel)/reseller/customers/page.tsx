/** `/reseller/customers`: a reseller's customers (search, paged); create more. */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchForm } from "@/components/ui/search-form";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserTable } from "@/components/users/user-table";
import { load } from "@/lib/server/load";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireRole } from "@/lib/server/auth/current-user";
import { listUsers } from "@/lib/server/users/list-users";

export const metadata: Metadata = { title: "Customers" };
export const dynamic = "force-dynamic";

/** Reseller customers page. */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<{ page?: string; q?: string }> }) {
  await requireRole("RESELLER");
  const sp = await searchParams;
  const users = await load(listUsers, await currentActor(), { page: sp.page, q: sp.q, role: "CUSTOMER" });
  return (
    <>
      <PageHeader title="Customers" />
      <Card className="mb-6">
        <SearchForm q={sp.q} placeholder="Search email or name" />
        <UserTable users={users.items} hrefFor={(id) => `/reseller/customers/${id}`} />
        <Pager page={users.page} pages={users.pages} total={users.total} params={{ q: sp.q }} />
      </Card>
      <Card title="New customer">
        <CreateUserForm asAdmin={false} />
      </Card>
    </>
  );
}
