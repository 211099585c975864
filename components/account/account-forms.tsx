"use client";
/** The signed-in user's own settings: password, and (customers) support console consent. */
import { signOut } from "next-auth/react";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { changePasswordAction, setSupportConsoleAction } from "@/lib/actions/users/user-actions";

/**
 * Change-password form. A new password ends every session of the account, this one
 * too, so success leads to the login page.
 */
export function ChangePasswordForm() {
  return (
    <ActionForm action={changePasswordAction} testId="password-form" onSuccess={() => void signOut({ callbackUrl: "/login?reason=password-changed" })}>
      <FormField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required />
      <FormField label="New password" name="newPassword" type="password" autoComplete="new-password" required hint="At least 10 characters." />
      <SubmitButton>Change password</SubmitButton>
    </ActionForm>
  );
}

/** Support-console consent form. */
export function SupportConsentForm({ allowed }: { allowed: boolean }) {
  return (
    <ActionForm action={setSupportConsoleAction} resetOnSuccess={false}>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="allowSupportConsole" defaultChecked={allowed} />
        Support staff may open a console on my servers when I ask them for help (every session is logged).
      </label>
      <SubmitButton>Save</SubmitButton>
    </ActionForm>
  );
}
