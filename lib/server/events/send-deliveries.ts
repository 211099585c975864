/**
 * The outbox's second half: due deliveries (e-mail, webhook) are claimed with a lease,
 * sent, and each try is logged with its answer. A failure is tried again with
 * exponential back-off (30 s, 1 min, 2 min, … at most an hour apart) until 24 hours
 * after the event, then the delivery is FAILED; "redeliver" queues a fresh one.
 */
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { open } from "@/lib/security/secret-box";
import { describeEvent } from "./describe-event";
import { readMailSettings } from "./mail-settings";
import { sendEmail } from "./send-email";
import { sendWebhook } from "./send-webhook";

/** The purpose under which webhook secrets are sealed. */
export const webhookSecretPurpose = "webhook-secret";

const leaseMs = 60_000;
const giveUpMs = 24 * 3600_000;

/** The wait before try `n + 1` after `n` failures (EVENT_RETRY_BASE_MS shortens it for tests). */
export function backoffMs(failures: number, env: NodeJS.ProcessEnv = process.env): number {
  const base = Number(env.EVENT_RETRY_BASE_MS) > 0 ? Number(env.EVENT_RETRY_BASE_MS) : 30_000;
  return Math.min(base * 2 ** Math.max(0, failures - 1), Math.max(base, 3600_000));
}

/** Whether webhooks may reach private addresses. */
async function privateAllowed(db: Db): Promise<boolean> {
  if (process.env.WEBHOOK_ALLOW_PRIVATE === "1") return true;
  return (await db.setting.findUnique({ where: { key: "webhooks.allowPrivate" } }))?.value === "true";
}

type Due = Awaited<ReturnType<typeof loadDelivery>>;

function loadDelivery(db: Db, id: string) {
  return db.eventDelivery.findUniqueOrThrow({ where: { id }, include: { event: true, endpoint: true } });
}

/** The webhook body of an event (also what the delivery log shows). */
export async function webhookBody(db: Db, d: NonNullable<Due>): Promise<string> {
  const text = await describeEvent(db, d.event);
  return JSON.stringify({
    id: d.event.id,
    type: d.event.type,
    at: d.event.at.toISOString(),
    serverId: d.event.vserverId,
    hostId: d.event.hostId,
    userId: d.event.userId,
    title: text.title,
    data: JSON.parse(d.event.data) as unknown,
  });
}

async function attempt(db: Db, d: NonNullable<Due>): Promise<{ ok: boolean; status: number | null; error: string | null; durationMs: number }> {
  const started = Date.now();
  if (d.channel === "WEBHOOK") {
    if (!d.endpoint || !d.endpoint.enabled) return { ok: false, status: null, error: "endpoint disabled or removed", durationMs: 0 };
    const secret = open(panelSecret(), webhookSecretPurpose, d.endpoint.secretSealed);
    return sendWebhook(d.endpoint.url, secret, await webhookBody(db, d), { "x-vsp-event": d.event.type, "x-vsp-delivery": d.id }, await privateAllowed(db));
  }
  const settings = await readMailSettings(db);
  if (!settings || !d.address) return { ok: false, status: null, error: "no SMTP server is set", durationMs: 0 };
  const text = await describeEvent(db, d.event);
  try {
    await sendEmail(settings, {
      to: d.address,
      subject: `[VServer Panel] ${text.title}`,
      text: `${text.title}\n${text.body ? `\n${text.body}\n` : ""}${text.link ? `\n${settings.publicUrl}${text.link}\n` : ""}\nChoose which events reach you on ${settings.publicUrl}/account/notifications\n`,
    });
    return { ok: true, status: 250, error: null, durationMs: Date.now() - started };
  } catch (error) {
    const e = error as { responseCode?: number; message?: string };
    return { ok: false, status: e.responseCode ?? null, error: String(e.message ?? error).slice(0, 300), durationMs: Date.now() - started };
  }
}

/** Sends up to `limit` due deliveries; returns how many were tried. */
export async function sendDueDeliveries(db: Db, runner: string, limit = 20): Promise<number> {
  const now = new Date();
  const due = await db.eventDelivery.findMany({
    where: { state: "PENDING", nextAttemptAt: { lte: now }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true, leaseUntil: true },
  });
  let tried = 0;
  await Promise.all(
    due.map(async (row) => {
      const claimed = await db.eventDelivery.updateMany({ where: { id: row.id, state: "PENDING", leaseUntil: row.leaseUntil }, data: { runnerId: runner, leaseUntil: new Date(Date.now() + leaseMs) } });
      if (claimed.count !== 1) return;
      tried++;
      const d = await loadDelivery(db, row.id);
      const r = await attempt(db, d).catch((e: unknown) => ({ ok: false, status: null, error: String((e as Error)?.message ?? e).slice(0, 300), durationMs: 0 }));
      const failures = d.attempts + 1;
      const next = new Date(Date.now() + backoffMs(failures));
      const state = r.ok ? "DELIVERED" : next.getTime() - d.createdAt.getTime() > giveUpMs ? "FAILED" : "PENDING";
      await db.$transaction([
        db.deliveryAttempt.create({ data: { deliveryId: d.id, status: r.status, error: r.error, durationMs: r.durationMs } }),
        db.eventDelivery.update({
          where: { id: d.id },
          data: { state, attempts: failures, lastStatus: r.status, lastError: r.error, nextAttemptAt: next, leaseUntil: null, runnerId: null, deliveredAt: r.ok ? new Date() : null },
        }),
      ]);
    }),
  );
  return tried;
}
