/** `/notifications`: the user's notifications, its choices of events × channels, and (admins, resellers) webhooks with their delivery log. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ActionButton } from "@/components/ui/action-button";
import { ChoicesForm } from "@/components/notifications/choices-form";
import { WebhookForm } from "@/components/notifications/webhook-manager";
import { load } from "@/lib/server/load";
import { formatDateTime } from "@/lib/format";
import { deleteWebhookAction, markAllReadAction, redeliverWebhookAction } from "@/lib/actions/notifications/notification-actions";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { listNotifications, notificationChoices, unreadCount } from "@/lib/server/events/notifications";
import { listWebhookEndpoints } from "@/lib/server/events/webhook-endpoints";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

/** Notifications page. */
export default async function NotificationsPage() {
  const user = await requireUser();
  const actor = await currentActor();
  const hooks = user.role === "ADMIN" || user.role === "RESELLER";
  const [items, unread, choices, endpoints] = await Promise.all([load(listNotifications, actor), load(unreadCount, actor), load(notificationChoices, actor), hooks ? load(listWebhookEndpoints, actor) : Promise.resolve([])]);
  return (
    <>
      <PageHeader title="Notifications" description={`${unread} unread`} actions={unread ? <ActionButton action={markAllReadAction}>Mark all read</ActionButton> : null} />
      <Card title="Latest" className="mb-6">
        {items.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="notification-list">
            {items.map((n) => (
              <li key={n.id} className="flex items-start justify-between gap-4 py-2" data-unread={n.readAt ? undefined : "1"}>
                {/* min-w-0 and break-words: an error's long path or id wraps instead of widening the page. */}
                <div className="min-w-0 break-words">
                  <p className={n.readAt ? "" : "font-semibold"}>{n.link ? <Link href={n.link}>{n.title}</Link> : n.title}</p>
                  {n.body ? <p className="text-slate-500">{n.body}</p> : null}
                </div>
                <time className="shrink-0 text-xs text-slate-500">{formatDateTime(n.createdAt)}</time>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="What reaches you, and how" className="mb-6">
        <ChoicesForm rows={choices} webhooks={hooks} />
      </Card>
      {hooks ? (
        <Card title="Webhooks">
          <WebhookForm />
          {endpoints.map((e) => (
            <section key={e.id} className="mt-6" data-testid="webhook-endpoint">
              <div className="flex items-center justify-between gap-2 text-sm">
                <p className="font-medium break-all">
                  {e.url} {e.description ? <span className="text-slate-500">({e.description})</span> : null}
                </p>
                <ActionButton look="danger" confirm={`Remove the webhook ${e.url}?`} action={deleteWebhookAction.bind(null, e.id)}>
                  Remove
                </ActionButton>
              </div>
              <table className="mt-2 w-full text-left text-xs" data-testid="delivery-log">
                <caption className="sr-only">Deliveries to {e.url}</caption>
                <thead>
                  <tr className="text-slate-500">
                    <th scope="col">Event</th>
                    <th scope="col">State</th>
                    <th scope="col">Tries</th>
                    <th scope="col">Last answer</th>
                    <th scope="col">Queued</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {e.deliveries.map((d) => (
                    <tr key={d.id} className="border-t border-slate-200 dark:border-slate-800">
                      <td>{d.event.type}</td>
                      <td>{d.state === "PENDING" && d.attempts > 0 ? `retrying at ${formatDateTime(d.nextAttemptAt)}` : d.state.toLowerCase()}</td>
                      <td>{d.attempts}</td>
                      <td>{d.lastStatus ?? d.lastError ?? "—"}</td>
                      <td>{formatDateTime(d.createdAt)}</td>
                      <td>
                        <ActionButton look="secondary" action={redeliverWebhookAction.bind(null, d.id)}>
                          Redeliver
                        </ActionButton>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </Card>
      ) : null}
    </>
  );
}
