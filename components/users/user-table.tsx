/** A list of users with role, state and server count, linking to each user's page. */
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { columnsOf, DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/lib/format";
import type { UserView } from "@/lib/server/users/user-view";

/** User table; `hrefFor` gives each row's link. */
export function UserTable({ users, hrefFor }: { users: (UserView & { serverCount: number })[]; hrefFor: (id: string) => string }) {
  const columns = columnsOf(users, [
    {
      header: "Email",
      cell: (u) => (
        <Link href={hrefFor(u.id)} className="font-medium text-indigo-600 hover:underline">
          {u.email}
        </Link>
      ),
    },
    { header: "Name", cell: (u) => u.name || "—" },
    { header: "Role", cell: (u) => u.role.toLowerCase() },
    { header: "State", cell: (u) => <Badge tone={u.status === "ACTIVE" ? "green" : "amber"}>{u.status.toLowerCase()}</Badge> },
    { header: "Servers", cell: (u) => u.serverCount },
    { header: "Last login", cell: (u) => formatDateTime(u.lastLoginAt) },
  ]);
  return (
    <DataTable testId="users-table" rows={users} rowKey={(u) => u.id} empty={<EmptyState title="Nobody here yet">Create the first one below.</EmptyState>} columns={columns} />
  );
}
