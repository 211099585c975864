/** The API token page body (admins and resellers; customers with scopes). */
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
import { tokenScopes } from "@/lib/server/api-tokens/token-scopes";
import { CreateTokenForm } from "./token-manager";

/** Tokens page content. */
export async function TokenPage({ customer = false }: { customer?: boolean }) {
  const tokens = await load(listApiTokens, await currentActor());
  return (
    <>
      <PageHeader
        title="API tokens"
        description={
          customer
            ? "For your own scripts: the REST API at /api/v1 (described at /api/v1/openapi.json) on your own servers, limited to the scopes you choose."
            : "For billing systems (WHMCS and others): the REST API at /api/v1, described at /api/v1/openapi.json."
        }
      />
      <Card className="mb-6">
        <DataTable
          testId="tokens-table"
          rows={tokens}
          rowKey={(t) => t.id}
          empty={<EmptyState title="No tokens yet" />}
          columns={[
            { header: "Name", cell: (t) => <span className="font-medium">{t.name}</span> },
            { header: "Starts with", cell: (t) => <code className="text-xs">{t.prefix}…</code> },
            customer ? { header: "Scopes", cell: (t) => <span className="text-xs">{t.scopes?.split(" ").join(", ")}</span> } : { header: "Owner", cell: (t) => t.user.email },
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
                  <ActionButton look="danger" aria-label={`Revoke token ${t.name}`} confirm={{ title: `Revoke the token ${t.name}?`, consequence: "Programs using it stop working at once. This cannot be undone." }} action={revokeTokenAction.bind(null, t.id)}>
                    Revoke
                  </ActionButton>
                ),
            },
          ]}
        />
      </Card>
      <Card title="New token">
        <CreateTokenForm scopes={customer ? Object.entries(tokenScopes).map(([value, what]) => ({ value, what })) : undefined} />
      </Card>
    </>
  );
}
