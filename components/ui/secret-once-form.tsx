"use client";
/** A form whose success hands back a secret (a token, a signing key) to show once above it. */
import { useState, type ReactNode } from "react";
import { ActionForm, type FormAction } from "./form";
import { SecretOnce } from "./secret-once";

/** Runs `action`; on success shows `secretOf(data)` under `label` until the page is left.
 * `after` stands below the form (an explanation of what the secret is for). */
export function SecretOnceForm<T>({ action, secretOf, label, testId, className, children, after }: { action: FormAction<T>; secretOf: (data: T) => string; label: string; testId: string; className: string; children: ReactNode; after?: ReactNode }) {
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <div className={className}>
      {secret ? <SecretOnce label={label} value={secret} /> : null}
      <ActionForm action={action} onSuccess={(d) => setSecret(secretOf(d))} testId={testId}>
        {children}
      </ActionForm>
      {after}
    </div>
  );
}
