/** One user's page body: facts, servers, actions, and for resellers the quota. */
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { formatDateTime } from "@/lib/format";
import type { UserView } from "@/lib/server/users/user-view";
import { QuotaForm } from "./quota-form";
import { UserAdminActions } from "./user-admin-actions";

/** User detail. */
export function UserDetail({
  user,
  servers,
  canManage,
  quota,
  afterDeleteHref,
}: {
  user: UserView;
  servers: { id: string; name: string; state: string }[];
  canManage: boolean;
  quota?: Parameters<typeof QuotaForm>[0];
  afterDeleteHref: string;
}) {
  return (
    <div className="space-y-6">
      <Card title="Account">
        <dl className="grid grid-cols-2 gap-4 text-sm md:grid-cols-4">
          <div>
            <dt className="text-slate-500">Role</dt>
            <dd>{user.role.toLowerCase()}</dd>
          </div>
          <div>
            <dt className="text-slate-500">State</dt>
            <dd>
              <Badge tone={user.status === "ACTIVE" ? "green" : "amber"}>{user.status.toLowerCase()}</Badge>
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Created</dt>
            <dd>{formatDateTime(user.createdAt)}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Last login</dt>
            <dd>{formatDateTime(user.lastLoginAt)}</dd>
          </div>
        </dl>
        {canManage ? (
          <div className="mt-4">
            <UserAdminActions id={user.id} email={user.email} status={user.status} afterDeleteHref={afterDeleteHref} />
          </div>
        ) : null}
      </Card>
      {quota ? (
        <Card title="Reseller quota">
          <QuotaForm {...quota} />
        </Card>
      ) : null}
      <Card title="Servers">
        {servers.length === 0 ? (
          <p className="text-sm text-slate-500">No servers.</p>
        ) : (
          <ul className="space-y-1 text-sm">
            {servers.map((s) => (
              <li key={s.id}>
                <Link href={`/servers/${s.id}`} className="font-medium text-indigo-600 underline underline-offset-2">
                  {s.name}
                </Link>{" "}
                <span className="text-slate-500">{s.state.toLowerCase()}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
