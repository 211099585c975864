"use client";
/** Create API tokens (shown once) for the billing system; the list below can revoke them. */
import { FieldError, FormField, SubmitButton } from "@/components/ui/form";
import { SecretOnceForm } from "@/components/ui/secret-once-form";
import { createTokenAction } from "@/lib/actions/tokens/token-actions";

/** Token creation form with the one-time display; `scopes` (customers) adds their check boxes. */
export function CreateTokenForm({ scopes }: { scopes?: { value: string; what: string }[] }) {
  return (
    <SecretOnceForm action={createTokenAction} secretOf={(d) => d.token} label="Your new API token" testId="token-form" className="space-y-4">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <FormField label="Name" name="name" required placeholder="WHMCS" />
        <FormField label="Expires after (days)" name="expiresInDays" type="number" min={1} hint="Empty: never." />
      </div>
      {scopes ? (
        <fieldset className="space-y-1 text-sm" data-testid="token-scopes">
          <legend className="font-medium">May</legend>
          {scopes.map((s) => (
            <label key={s.value} className="flex items-start gap-2">
              <input type="checkbox" name="scopes" value={s.value} defaultChecked={s.value === "servers:read"} className="mt-1" />
              <span>
                <code className="text-xs">{s.value}</code> — {s.what}
              </span>
            </label>
          ))}
          <FieldError name="scopes" />
        </fieldset>
      ) : null}
      <SubmitButton>Create token</SubmitButton>
    </SecretOnceForm>
  );
}
