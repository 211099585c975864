/**
 * The console card of the server page: a link to the full console page and a console
 * in place when one is possible, otherwise why not (stopped, suspended, no consent);
 * for admins also the support console grants of this server.
 */
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ActionButton } from "@/components/ui/action-button";
import { revokeSupportConsoleAction } from "@/lib/actions/console/console-actions";
import { formatDateTime } from "@/lib/format";
import type { ConsoleVerdict } from "@/lib/server/console/console-access";
import type { ActiveGrant } from "@/lib/server/console/support-console-grants";
import { InlineConsole } from "./inline-console";
import { SupportGrantForm } from "./support-grant-form";

/** Panel props, computed by the page. */
export interface ConsolePanelProps {
  serverId: string;
  verdict: ConsoleVerdict;
  isAdmin: boolean;
  grants: ActiveGrant[];
  supportUsers: { id: string; email: string }[];
}

/** The card. */
export function ConsolePanel({ serverId, verdict, isAdmin, grants, supportUsers }: ConsolePanelProps) {
  return (
    <Card
      title="Console"
      className="mt-6"
      actions={
        verdict.ok ? (
          <Link href={`/servers/${serverId}/console`} className="text-sm font-semibold text-indigo-600 hover:underline dark:text-indigo-400" data-testid="console-page-link">
            Full-page console →
          </Link>
        ) : null
      }
    >
      {verdict.ok ? (
        <div>
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">A root login shell inside the server (like <code>vserver NAME enter</code>). Every session is recorded in the audit log.</p>
          <InlineConsole serverId={serverId} />
        </div>
      ) : (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400" data-testid="console-unavailable">
          No console: {verdict.message}
        </p>
      )}
      {isAdmin ? (
        <div className="mt-6 border-t border-slate-200 pt-4 dark:border-slate-800">
          <h3 className="mb-2 text-sm font-semibold">Support console access</h3>
          {grants.length ? (
            <ul className="mb-3 space-y-1 text-sm" data-testid="console-grants">
              {grants.map((g) => (
                <li key={g.id} className="flex items-center gap-3">
                  <span>
                    {g.userEmail} until {formatDateTime(g.expiresAt)}
                    {g.reason ? ` (${g.reason})` : ""}
                  </span>
                  <ActionButton look="secondary" action={revokeSupportConsoleAction.bind(null, serverId, g.id)}>
                    Revoke
                  </ActionButton>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mb-3 text-sm text-slate-500">Support can open a console only when the customer allowed it on its account page, or while you grant it here.</p>
          )}
          <SupportGrantForm serverId={serverId} supportUsers={supportUsers} />
        </div>
      ) : null}
    </Card>
  );
}
