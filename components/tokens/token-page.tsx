/** The API token page body (admins and resellers). */
import { ActionButton } from "@/components/ui/action-button";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { revokeTokenAction } from "@/lib/actions/tokens/token-actions";
import { load } from "@/lib/server/load";
import { formatDateTime } from "@/lib/format";
import { listApiTokens } from "@/lib/server/api-tokens/api-tokens";
import { currentActor } from "@/lib/server/auth/current-actor";
import { CreateTokenForm } from "./token-manager";

/** Tokens page content. */
export async function TokenPage() {
  const tokens = await load(listApiTokens, await currentActor());
  return (
    <>
      <PageHeader title="API tokens" description="For billing systems (WHMCS and others): the REST API at /api/v1, described at /api/v1/openapi.json." />
      <Card className="mb-6">
        <DataTable
          testId="tokens-table"
          rows={tokens}
          rowKey={(t) => t.id}
          empty={<EmptyState title="No tokens yet" />}
          columns={[
            { header: "Name", cell: (t) => <span className="font-medium">{t.name}</span> },
            { header: "Starts with", cell: (t) => <code className="text-xs">{t.prefix}…</code> },
            { header: "Owner", cell: (t) => t.user.email },
            { header: "Created", cell: (t) => formatDateTime(t.createdAt) },
            { header: "Last used", cell: (t) => formatDateTime(t.lastUsedAt) },
            { header: "Expires", cell: (t) => formatDateTime(t.expiresAt) },
            {
              header: "State",
              cell: (t) => (t.revokedAt ? <Badge tone="red">revoked</Badge> : t.expiresAt && t.expiresAt < new Date() ? <Badge tone="amber">expired</Badge> : <Badge tone="green">active</Badge>),
            },
            {
              header: "",
              cell: (t) =>
                t.revokedAt ? null : (
                  <ActionButton look="danger" confirm={`Revoke token ${t.name}? Programs using it stop working at once.`} action={revokeTokenAction.bind(null, t.id)}>
                    Revoke
                  </ActionButton>
                ),
            },
          ]}
        />
      </Card>
      <Card title="New token">
        <CreateTokenForm />
      </Card>
    </>
  );
}
