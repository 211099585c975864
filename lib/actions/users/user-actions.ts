"use server";
/** Server actions of the user and customer pages. */
import { formObject, runAction, runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { db } from "@/lib/db/client";
import { planBoundFields } from "@/lib/server/resellers/plan-bounds";
import { setResellerQuota } from "@/lib/server/resellers/set-reseller-quota";
import { createUser } from "@/lib/server/users/create-user";
import { deleteUser } from "@/lib/server/users/delete-user";
import { changeOwnPassword, resetPassword } from "@/lib/server/users/set-password";
import { setUserStatus } from "@/lib/server/users/set-user-status";
import { updateUser } from "@/lib/server/users/update-user";

/** Creates a user (or, for resellers, a customer); returns a generated password once. */
export async function createUserAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string; email: string; password: string | null }>> {
  const raw = formObject(form);
  return runAction(async (actor) => {
    const created = await createUser(db(), actor, actor.role === "RESELLER" ? { ...raw, role: "CUSTOMER" } : raw);
    return { id: created.user.id, email: created.user.email, password: created.generatedPassword };
  }, { revalidate: ["/admin/users", "/reseller/customers"] });
}

/** Suspends or reactivates a user. */
export async function setUserStatusAction(userId: string, status: "ACTIVE" | "SUSPENDED"): Promise<ActionResult<null>> {
  return runOperation(setUserStatus, [userId, status], { revalidate: ["/admin/users", "/reseller/customers"] });
}

/** Deletes a user without servers. */
export async function deleteUserAction(userId: string): Promise<ActionResult<null>> {
  return runOperation(deleteUser, [userId], { revalidate: ["/admin/users", "/reseller/customers"] });
}

/** Generates a new password for a user (shown once). */
export async function resetPasswordAction(userId: string): Promise<ActionResult<{ password: string }>> {
  return runAction(async (actor) => ({ password: await resetPassword(db(), actor, userId) }));
}

/** Sets a reseller's quota. */
export async function setQuotaAction(resellerId: string, _prev: unknown, form: FormData): Promise<ActionResult<null>> {
  const raw = formObject(form, { numbers: ["maxServers", "maxCpuMilli", "maxMemoryMb", "maxDiskMb", "maxIpv4", "maxIpv6", ...planBoundFields.map((b) => b.bound)] });
  return runOperation(setResellerQuota, [resellerId, raw], { revalidate: [`/admin/users/${resellerId}`], message: "Quota saved." });
}

/** The signed-in user changes its password (all its sessions end). */
export async function changePasswordAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await changeOwnPassword(db(), actor, formObject(form));
    return null;
  }, { message: "Password changed. Every session has ended, this one too: sign in with the new password." });
}

/** A customer allows or forbids support staff to open consoles on its servers. */
export async function setSupportConsoleAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runAction(async (actor) => {
    await updateUser(db(), actor, actor.userId, { allowSupportConsole: form.get("allowSupportConsole") === "on" });
    return null;
  }, { revalidate: ["/account"], message: "Saved." });
}
