/** `/servers`: the servers the signed-in user may see (a customer's home). */
import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Badge } from "@/components/ui/badge";
import { db } from "@/lib/db/client";
import { requireUser } from "@/lib/server/auth/current-user";
import { visibleServersWhere } from "@/lib/server/vservers/visible-servers-where";

export const metadata: Metadata = { title: "Servers" };
export const dynamic = "force-dynamic";

/** Server list. */
export default async function ServersPage() {
  const user = await requireUser();
  const servers = await db().vServer.findMany({
    where: visibleServersWhere({ userId: user.id, role: user.role }),
    orderBy: { name: "asc" },
    take: 50,
    include: { host: { select: { name: true } } },
  });
  return (
    <>
      <PageHeader title={user.role === "CUSTOMER" ? "My servers" : "Servers"} />
      <Card>
        {servers.length === 0 ? (
          <EmptyState title="No servers yet">
            {user.role === "CUSTOMER" ? "When your provider sets up a server for you, it appears here." : "Servers you create appear here."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {servers.map((s) => (
              <li key={s.id} className="flex items-center justify-between py-2 text-sm">
                <span className="font-medium">{s.name}</span>
                <span className="text-slate-500">{s.hostname}</span>
                <span className="text-slate-500">{s.host.name}</span>
                <Badge tone={s.state === "RUNNING" ? "green" : "slate"}>{s.state.toLowerCase()}</Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
