/**
 * Webhook endpoints of admins and resellers: made with a fresh signing secret (shown
 * once), listed with their recent deliveries, removed, and a delivery sent again.
 * Everyone sees and changes only their own endpoints (another's id is 404); customers
 * and support have none (403).
 */
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { seal } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { webhookSecretPurpose } from "./send-deliveries";
import { checkWebhookUrl } from "./webhook-target";

/** Input of a new endpoint. */
export const webhookInput = z.object({ url: z.string().trim().max(2000), description: z.string().trim().max(200).default("") }).strict();

function mayHaveWebhooks(actor: Pick<Actor, "role">): void {
  if (actor.role !== "ADMIN" && actor.role !== "RESELLER") throw new AppError("FORBIDDEN", "only admins and resellers have webhooks");
}

/** Makes an endpoint; returns it with its secret (shown once). */
export async function createWebhookEndpoint(db: Db, actor: Actor, raw: unknown): Promise<{ id: string; secret: string }> {
  mayHaveWebhooks(actor);
  const input = parseInput(webhookInput, raw);
  checkWebhookUrl(input.url);
  const secret = `whsec_${crypto.randomBytes(24).toString("base64url")}`;
  const row = await db.webhookEndpoint.create({ data: { ownerId: actor.userId, url: input.url, description: input.description, secretSealed: seal(panelSecret(), webhookSecretPurpose, secret) } });
  await audit(db, actor, "webhook.create", { type: "webhook", id: row.id }, { url: input.url });
  return { id: row.id, secret };
}

/** The caller's endpoints with their last 20 deliveries each. */
export async function listWebhookEndpoints(db: Db, actor: Actor) {
  mayHaveWebhooks(actor);
  return db.webhookEndpoint.findMany({
    where: { ownerId: actor.userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      url: true,
      description: true,
      enabled: true,
      createdAt: true,
      deliveries: { orderBy: { createdAt: "desc" }, take: 20, select: { id: true, state: true, attempts: true, lastStatus: true, lastError: true, createdAt: true, deliveredAt: true, nextAttemptAt: true, event: { select: { type: true, at: true } } } },
    },
  });
}

async function ownEndpoint(db: Db, actor: Actor, id: string) {
  mayHaveWebhooks(actor);
  const row = await db.webhookEndpoint.findFirst({ where: { id, ownerId: actor.userId } });
  if (!row) throw notFound("Webhook not found");
  return row;
}

/** Removes an endpoint (its deliveries with it). */
export async function deleteWebhookEndpoint(db: Db, actor: Actor, id: string): Promise<void> {
  await ownEndpoint(db, actor, id);
  await db.webhookEndpoint.delete({ where: { id } });
  await audit(db, actor, "webhook.delete", { type: "webhook", id });
}

/** Queues a delivery of the same event to the same endpoint again, now. */
export async function redeliverWebhook(db: Db, actor: Actor, deliveryId: string): Promise<{ id: string }> {
  mayHaveWebhooks(actor);
  const d = await db.eventDelivery.findFirst({ where: { id: deliveryId, channel: "WEBHOOK", endpoint: { ownerId: actor.userId } } });
  if (!d) throw notFound("Delivery not found");
  const again = await db.eventDelivery.create({ data: { eventId: d.eventId, channel: "WEBHOOK", endpointId: d.endpointId } });
  await audit(db, actor, "webhook.redeliver", { type: "webhook", id: d.endpointId ?? "" }, { delivery: deliveryId });
  return { id: again.id };
}

/** One delivery's attempts (response codes, errors, durations), for the delivery log. */
export async function deliveryAttempts(db: Db, actor: Actor, deliveryId: string) {
  mayHaveWebhooks(actor);
  const d = await db.eventDelivery.findFirst({ where: { id: deliveryId, channel: "WEBHOOK", endpoint: { ownerId: actor.userId } }, include: { log: { orderBy: { at: "asc" } } } });
  if (!d) throw notFound("Delivery not found");
  return d.log;
}
