"use client";
/** Signed-out forms: ask for a password link; set a password through one. */
import Link from "next/link";
import { useState } from "react";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { requestResetAction, resetWithLinkAction } from "@/lib/actions/passwords/password-actions";

/** "Forgot your password?" form. */
export function RequestResetForm() {
  return (
    <ActionForm action={requestResetAction} testId="forgot-form">
      <FormField label="Email" name="email" type="email" autoComplete="email" required />
      <SubmitButton>Send me a link</SubmitButton>
    </ActionForm>
  );
}

/** The form behind a link. */
export function ResetWithLinkForm({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <p role="status" data-testid="reset-done" className="text-sm">
        Your password is set. <Link href="/login" className="font-medium text-indigo-600">Sign in</Link>
      </p>
    );
  }
  return (
    <ActionForm action={resetWithLinkAction.bind(null, token)} onSuccess={() => setDone(true)} testId="reset-form">
      <FormField label="New password" name="password" type="password" autoComplete="new-password" required hint="At least 10 characters." />
      <SubmitButton>Set password</SubmitButton>
    </ActionForm>
  );
}
