/**
 * The outbox's first half: each new event is claimed by one panel instance (a lease on
 * the row, as jobs are claimed) and turned, in one transaction, into an in-panel
 * notification per recipient with PANEL on, an e-mail delivery per recipient with EMAIL
 * on (when the admin has set an SMTP server) and a delivery per enabled webhook endpoint
 * of recipients with WEBHOOK on. A dead instance's claim runs out and another takes over.
 */
import type { Db } from "@/lib/db/client";
import { describeEvent } from "./describe-event";
import { findRecipients } from "./find-recipients";
import { smtpConfigured } from "./mail-settings";

const leaseMs = 30_000;

/** Fans out up to `limit` new events; returns how many this instance handled. */
export async function dispatchEvents(db: Db, runner: string, limit = 50): Promise<number> {
  const now = new Date();
  const due = await db.event.findMany({
    where: { dispatchedAt: null, OR: [{ dispatchLeaseUntil: null }, { dispatchLeaseUntil: { lt: now } }] },
    orderBy: { at: "asc" },
    take: limit,
  });
  let done = 0;
  const mail = due.length ? await smtpConfigured(db) : false;
  for (const ev of due) {
    const claimed = await db.event.updateMany({ where: { id: ev.id, dispatchedAt: null, dispatchLeaseUntil: ev.dispatchLeaseUntil }, data: { dispatchRunner: runner, dispatchLeaseUntil: new Date(Date.now() + leaseMs) } });
    if (claimed.count !== 1) continue;
    const recipients = await findRecipients(db, ev);
    const text = await describeEvent(db, ev);
    const hooked = recipients.filter((r) => r.channels.has("WEBHOOK")).map((r) => r.userId);
    const endpoints = hooked.length ? await db.webhookEndpoint.findMany({ where: { ownerId: { in: hooked }, enabled: true }, select: { id: true } }) : [];
    await db.$transaction(async (tx) => {
      for (const r of recipients.filter((x) => x.channels.has("PANEL"))) {
        await tx.notification.create({ data: { userId: r.userId, eventId: ev.id, title: text.title, body: text.body, link: text.link } });
      }
      const deliveries = [
        ...(mail ? recipients.filter((r) => r.channels.has("EMAIL")).map((r) => ({ eventId: ev.id, channel: "EMAIL", userId: r.userId, address: r.email })) : []),
        ...endpoints.map((e) => ({ eventId: ev.id, channel: "WEBHOOK", endpointId: e.id })),
      ];
      if (deliveries.length) await tx.eventDelivery.createMany({ data: deliveries });
      await tx.event.update({ where: { id: ev.id }, data: { dispatchedAt: new Date(), dispatchLeaseUntil: null } });
    });
    done++;
  }
  return done;
}
