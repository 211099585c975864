"use client";
/** Create API tokens (shown once) for the billing system; the list below can revoke them. */
import { useState } from "react";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { SecretOnce } from "@/components/ui/secret-once";
import { createTokenAction } from "@/lib/actions/tokens/token-actions";

/** Token creation form with the one-time display. */
export function CreateTokenForm() {
  const [token, setToken] = useState<string | null>(null);
  return (
    <div className="space-y-4">
      {token ? <SecretOnce label="Your new API token" value={token} /> : null}
      <ActionForm action={createTokenAction} onSuccess={(d) => setToken(d.token)} testId="token-form">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <FormField label="Name" name="name" required placeholder="WHMCS" />
          <FormField label="Expires after (days)" name="expiresInDays" type="number" min={1} hint="Empty: never." />
        </div>
        <SubmitButton>Create token</SubmitButton>
      </ActionForm>
    </div>
  );
}
