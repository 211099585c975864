"use client";
/** Two-factor login once it is on: new recovery codes, or turning it off (each needs a current code). */
import { useState } from "react";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { disableTwoFactorAction, regenerateRecoveryCodesAction } from "@/lib/actions/two-factor/two-factor-actions";
import { RecoveryCodes } from "./recovery-codes";

/** What the card knows about the user's two-factor login. */
export interface TwoFactorSummary {
  enabledAt: string | null;
  required: boolean;
  recoveryCodesLeft: number;
}

/** The "on" state of the two-factor card. */
export function TwoFactorManage({ summary }: { summary: TwoFactorSummary }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  return (
    <div className="space-y-5">
      <p className="text-sm" data-testid="two-factor-on">
        Two-factor login is <strong>on</strong>
        {summary.enabledAt ? ` since ${summary.enabledAt}` : ""}. {summary.recoveryCodesLeft} recovery code{summary.recoveryCodesLeft === 1 ? "" : "s"} left.
      </p>
      {codes ? <RecoveryCodes codes={codes} /> : null}
      <ActionForm action={regenerateRecoveryCodesAction} testId="recovery-codes-form" onSuccess={(data) => setCodes(data.recoveryCodes)}>
        <FormField label="Code from the app (for new recovery codes)" name="code" autoComplete="one-time-code" maxLength={32} required />
        <SubmitButton look="secondary">Make new recovery codes</SubmitButton>
      </ActionForm>
      {summary.required ? (
        <p className="text-sm text-slate-500">Your administrator requires two-factor login for your account, so it cannot be turned off.</p>
      ) : (
        <ActionForm action={disableTwoFactorAction} testId="two-factor-disable-form">
          <FormField label="Code from the app or a recovery code (to turn it off)" name="code" autoComplete="one-time-code" maxLength={32} required />
          <SubmitButton look="danger">Turn off two-factor login</SubmitButton>
        </ActionForm>
      )}
    </div>
  );
}
