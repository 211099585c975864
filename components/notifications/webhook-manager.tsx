"use client";
/** Add webhook endpoints (the signing secret is shown once) and see how to check a signature. */
import { FormField, SubmitButton } from "@/components/ui/form";
import { SecretOnceForm } from "@/components/ui/secret-once-form";
import { createWebhookAction } from "@/lib/actions/notifications/notification-actions";

/** The form. */
export function WebhookForm() {
  return (
    <SecretOnceForm
      action={createWebhookAction}
      secretOf={(d) => d.secret}
      label="Signing secret of the new endpoint"
      testId="webhook-form"
      className="space-y-3"
      after={
        <p className="text-xs text-slate-500">
          Each call is a POST of the event as JSON with <code>X-VSP-Signature: t=TIME,v1=HMAC</code>: the hex HMAC-SHA256 of <code>TIME.BODY</code> with the secret. Refuse a call whose TIME is more than a few minutes old. Failed calls are retried
          with growing pauses for 24 hours.
        </p>
      }
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <FormField label="URL" name="url" required placeholder="https://billing.example.com/hooks/vsp" />
        <FormField label="Description" name="description" placeholder="billing" />
      </div>
      <SubmitButton>Add endpoint</SubmitButton>
    </SecretOnceForm>
  );
}
