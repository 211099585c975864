"use server";
/** Server actions of the admin's security page: 2FA requirements by role and per user, and resets. */
import { runOperation } from "@/lib/actions/run-action";
import type { ActionResult } from "@/lib/actions/action-result";
import { resetUserTwoFactor, setTwoFactorRoles, setUserTwoFactorRequired } from "@/lib/server/two-factor/admin-two-factor";

/** Saves the roles that must use two-factor login (checkboxes named `roles`). */
export async function setTwoFactorRolesAction(_prev: unknown, form: FormData): Promise<ActionResult<null>> {
  return runOperation(setTwoFactorRoles, [{ roles: form.getAll("roles").filter((r) => typeof r === "string") }], { revalidate: ["/admin/security"], message: "Saved. Users of these roles without two-factor login are sent to set it up." });
}

/** Requires (or stops requiring) two-factor login of one user. */
export async function setUserTwoFactorRequiredAction(userId: string, required: boolean): Promise<ActionResult<null>> {
  return runOperation(setUserTwoFactorRequired, [userId, required], { revalidate: ["/admin/security"] });
}

/** Turns a user's two-factor login off (lost phone and codes); its sessions end. */
export async function resetUserTwoFactorAction(userId: string): Promise<ActionResult<null>> {
  return runOperation(resetUserTwoFactor, [userId], { revalidate: ["/admin/security"] });
}
