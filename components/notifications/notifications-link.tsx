/** The navigation's link to the user's notifications, with the unread count. */
import Link from "next/link";
import { load } from "@/lib/server/load";
import { unreadCount } from "@/lib/server/events/notifications";

/** The link (a server component: the count is read per page request). */
export async function NotificationsLink({ userId }: { userId: string }) {
  const unread = await load(unreadCount, { userId });
  return (
    <Link href="/notifications" className="mb-2 flex items-center justify-between rounded-md px-3 py-2 text-sm font-medium text-slate-300 hover:bg-slate-800 hover:text-white" data-testid="notifications-link">
      Notifications
      {unread ? (
        <span className="rounded-full bg-indigo-600 px-2 text-xs text-white" data-testid="unread-count" aria-label={`${unread} unread`}>
          {unread}
        </span>
      ) : null}
    </Link>
  );
}
