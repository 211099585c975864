"use server";
/** Server actions of the notifications page and the admin's notification settings. */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { saveMailSettings, saveUsageSettings } from "@/lib/server/events/admin-settings";
import { markNotificationsRead, setNotificationChoices } from "@/lib/server/events/notifications";
import { createWebhookEndpoint, deleteWebhookEndpoint, redeliverWebhook } from "@/lib/server/events/webhook-endpoints";

const paths = ["/notifications"];

/** Marks every notification of the user read. */
export async function markAllReadAction(): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await markNotificationsRead(db(), actor);
    return null;
  }, { revalidate: paths });
}

/** Stores the user's events × channels choices (checkboxes named `type:channel`). */
export async function saveChoicesAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runOperation(setNotificationChoices, [{ on: [...form.keys()].filter((k) => /^[a-z_.]+:(PANEL|EMAIL|WEBHOOK)$/.test(k)) }], { revalidate: paths, message: "Saved." });
}

/** Adds a webhook endpoint; the result carries its secret once. */
export async function createWebhookAction(_prev: unknown, form: FormData): Promise<ActionResult<{ secret: string }>> {
  return runAction(async (actor) => ({ secret: (await createWebhookEndpoint(db(), actor, formObject(form))).secret }), { revalidate: paths });
}

/** Removes a webhook endpoint. */
export async function deleteWebhookAction(endpointId: string): Promise<ActionResult<null>> {
  return runOperation(deleteWebhookEndpoint, [endpointId], { revalidate: paths });
}

/** Sends a delivery again. */
export async function redeliverWebhookAction(deliveryId: string): Promise<ActionResult<null>> {
  return runOperation(redeliverWebhook, [deliveryId], { revalidate: paths, message: "Queued." });
}

/** The admin's SMTP settings. */
export async function saveMailSettingsAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runOperation(saveMailSettings, [formObject(form, { numbers: ["port"], checkboxes: ["secure"] })], { revalidate: ["/admin/security"], message: "Saved." });
}

/** The admin's billing day and webhook network setting. */
export async function saveUsageSettingsAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runOperation(saveUsageSettings, [formObject(form, { numbers: ["startDay", "rescueMinutes"], checkboxes: ["allowPrivateWebhooks"] })], { revalidate: ["/admin/security"], message: "Saved." });
}
