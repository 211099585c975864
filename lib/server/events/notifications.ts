/**
 * A user's in-panel notifications (only ever its own): the list, the unread count for
 * the navigation, marking read; and its choices of events × channels.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { channels, eventCatalogue, eventTypes, onByDefault, type Channel, type EventType } from "./catalogue";

/** The newest notifications of the actor. */
export function listNotifications(db: Db, actor: Pick<Actor, "userId">, take = 50) {
  return db.notification.findMany({ where: { userId: actor.userId }, orderBy: { createdAt: "desc" }, take, select: { id: true, title: true, body: true, link: true, readAt: true, createdAt: true } });
}

/** How many are unread. */
export function unreadCount(db: Db, actor: Pick<Actor, "userId">): Promise<number> {
  return db.notification.count({ where: { userId: actor.userId, readAt: null } });
}

/** Marks the actor's notifications read (all, or the given ones). */
export async function markNotificationsRead(db: Db, actor: Pick<Actor, "userId">, ids?: string[]): Promise<void> {
  await db.notification.updateMany({ where: { userId: actor.userId, readAt: null, ...(ids ? { id: { in: ids } } : {}) }, data: { readAt: new Date() } });
}

/** The actor's effective choices: every event type with each channel on or off. */
export async function notificationChoices(db: Db, actor: Pick<Actor, "userId">): Promise<{ type: EventType; label: string; on: Record<Channel, boolean> }[]> {
  const rows = await db.notificationPreference.findMany({ where: { userId: actor.userId } });
  return eventTypes.map((type) => ({
    type,
    label: eventCatalogue[type].label,
    on: Object.fromEntries(channels.map((c) => [c, rows.find((r) => r.eventType === type && r.channel === c)?.enabled ?? onByDefault(type, c)])) as Record<Channel, boolean>,
  }));
}

/** The whole matrix as submitted: `on` lists `type:channel` pairs that are on. */
export const choicesInput = z.object({ on: z.array(z.string().max(80)).max(200) }).strict();

/** Stores the actor's choices (every type × channel, so later default changes do not flip them). */
export async function setNotificationChoices(db: Db, actor: Pick<Actor, "userId">, raw: unknown): Promise<void> {
  const { on } = parseInput(choicesInput, raw);
  const wanted = new Set(on);
  await db.$transaction(
    eventTypes.flatMap((type) =>
      channels.map((channel) =>
        db.notificationPreference.upsert({
          where: { userId_eventType_channel: { userId: actor.userId, eventType: type, channel } },
          create: { userId: actor.userId, eventType: type, channel, enabled: wanted.has(`${type}:${channel}`) },
          update: { enabled: wanted.has(`${type}:${channel}`) },
        }),
      ),
    ),
  );
}
