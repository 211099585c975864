/**
 * Who receives an event, and by which channels: the catalogue says whom it concerns
 * (a server's owner, the owner's reseller and — for the important ones — the admins;
 * one user; or the admins and support for hosts), each person's preference rows say
 * which channels are on (the catalogue's defaults otherwise), and webhooks go to the
 * enabled endpoints of recipients who keep that channel on.
 */
import type { Db } from "@/lib/db/client";
import { eventKind, onByDefault, type Channel, type EventType } from "./catalogue";

/** One recipient with the channels on for it. */
export interface Recipient {
  userId: string;
  email: string;
  channels: Set<Channel>;
}

async function audienceOf(db: Db, ev: { type: string; vserverId: string | null; userId: string | null }): Promise<{ id: string; email: string }[]> {
  const kind = eventKind(ev.type);
  if (!kind) return [];
  const active = { status: "ACTIVE" as const };
  if (kind.audience === "user") {
    return ev.userId ? db.user.findMany({ where: { id: ev.userId, ...active }, select: { id: true, email: true } }) : [];
  }
  if (kind.audience === "host") return db.user.findMany({ where: { role: { in: ["ADMIN", "SUPPORT"] }, ...active }, select: { id: true, email: true } });
  if (!ev.vserverId) return [];
  const ownerSelect = { id: true, email: true, status: true, reseller: { select: { id: true, email: true, status: true } } } as const;
  const server = await db.vServer.findUnique({ where: { id: ev.vserverId }, select: { owner: { select: ownerSelect } } });
  const people: { id: string; email: string }[] = [];
  // A server removed with the event (terminated) is no longer there: its owner came with the event.
  const owner = server?.owner ?? (ev.userId ? await db.user.findUnique({ where: { id: ev.userId }, select: ownerSelect }) : null);
  if (owner?.status === "ACTIVE") people.push({ id: owner.id, email: owner.email });
  if (owner?.reseller?.status === "ACTIVE") people.push({ id: owner.reseller.id, email: owner.reseller.email });
  if ("admins" in kind && kind.admins) {
    for (const a of await db.user.findMany({ where: { role: "ADMIN", ...active }, select: { id: true, email: true } })) if (!people.some((p) => p.id === a.id)) people.push(a);
  }
  return people;
}

/** The recipients of an event with their channels (those with none left out). */
export async function findRecipients(db: Db, ev: { type: string; vserverId: string | null; userId: string | null }): Promise<Recipient[]> {
  const people = await audienceOf(db, ev);
  if (people.length === 0) return [];
  const prefs = await db.notificationPreference.findMany({ where: { userId: { in: people.map((p) => p.id) }, eventType: ev.type } });
  const out: Recipient[] = [];
  for (const p of people) {
    const on = new Set<Channel>();
    for (const channel of ["PANEL", "EMAIL", "WEBHOOK"] as const) {
      const row = prefs.find((r) => r.userId === p.id && r.channel === channel);
      if (row ? row.enabled : onByDefault(ev.type as EventType, channel)) on.add(channel);
    }
    if (on.size) out.push({ userId: p.id, email: p.email, channels: on });
  }
  return out;
}
