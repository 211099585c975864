/**
 * Records an event in the outbox. Pass the transaction client of the change the event
 * reports (`db.$transaction(async (tx) => { …; await recordEvent(tx, …) })`), so the
 * event exists exactly when the change does; the dispatcher delivers it afterwards, from
 * whichever panel instance gets to it first.
 */
import type { Db } from "@/lib/db/client";
import type { EventType } from "./catalogue";

/** What can write events: the client or a transaction's client. */
export type EventWriter = Pick<Db, "event">;

/** One event to record. */
export interface NewEvent {
  type: EventType;
  vserverId?: string | null;
  userId?: string | null;
  hostId?: string | null;
  /** Details shown with it (kept as JSON; no secrets). */
  data?: Record<string, unknown>;
}

/** Writes the event; returns its id. */
export async function recordEvent(db: EventWriter, e: NewEvent): Promise<string> {
  const row = await db.event.create({
    data: { type: e.type, vserverId: e.vserverId ?? null, userId: e.userId ?? null, hostId: e.hostId ?? null, data: JSON.stringify(e.data ?? {}) },
    select: { id: true },
  });
  return row.id;
}
