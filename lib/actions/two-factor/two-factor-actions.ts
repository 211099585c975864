"use server";
/**
 * Server actions of a user's own two-factor login (account page and the set-up page a
 * user is held at when an admin requires it). Starting and confirming enrollment accept
 * a session held at enrollment; everything else needs a full session.
 */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { beginEnrollment, confirmEnrollment, type EnrollmentStart } from "@/lib/server/two-factor/enrollment";
import { currentEnrollingActor } from "@/lib/server/two-factor/enrolling-actor";
import { disableOwnTwoFactor, regenerateOwnRecoveryCodes } from "@/lib/server/two-factor/manage-own";

/** Starts enrollment: a new secret with its QR code. */
export async function beginEnrollmentAction(): Promise<ActionResult<EnrollmentStart>> {
  return runAction((actor) => beginEnrollment(db(), actor), { actor: currentEnrollingActor });
}

/** Confirms enrollment with a code; the result carries the recovery codes once. */
export async function confirmEnrollmentAction(_prev: unknown, form: FormData): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  // No revalidation: the page would re-render in its "on" state before the codes are shown; "continue" reloads it.
  return runAction((actor) => confirmEnrollment(db(), actor, formObject(form)), { actor: currentEnrollingActor });
}

/** Turns two-factor login off (needs a code). */
export async function disableTwoFactorAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runOperation(disableOwnTwoFactor, [formObject(form)], { revalidate: ["/account"], message: "Two-factor login is off." });
}

/** Replaces the recovery codes (needs a code); the result carries the new ones once. */
export async function regenerateRecoveryCodesAction(_prev: unknown, form: FormData): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return runAction((actor) => regenerateOwnRecoveryCodes(db(), actor, formObject(form)), { revalidate: ["/account"] });
}
