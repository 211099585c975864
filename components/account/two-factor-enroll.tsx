"use client";
/**
 * Setting up two-factor login: start (a new secret as a QR code, the otpauth link and
 * the secret to type), confirm with a code from the app, then the recovery codes once.
 * Used on the account page and on the set-up page a user is held at when required.
 */
import { useState, useTransition } from "react";
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { Button } from "@/components/ui/button";
import { beginEnrollmentAction, confirmEnrollmentAction } from "@/lib/actions/two-factor/two-factor-actions";
import type { EnrollmentStart } from "@/lib/server/two-factor/enrollment";
import { QrCode } from "./qr-code";
import { RecoveryCodes } from "./recovery-codes";
import { AlertLine } from "@/components/ui/outcome-line";

/** Enrollment flow; `doneHref` is where "Continue" goes once the codes were shown. */
export function TwoFactorEnroll({ doneHref }: { doneHref: string }) {
  const [start, setStart] = useState<EnrollmentStart | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, run] = useTransition();

  if (codes) {
    return (
      <div className="space-y-4">
        <p className="text-sm font-medium text-emerald-700 dark:text-emerald-300" data-testid="two-factor-on">
          Two-factor login is on. From now on you sign in with your password and a code from the app.
        </p>
        <RecoveryCodes codes={codes} />
        {/* A full load, so every part of the panel sees the session's new state. */}
        <a href={doneHref} className="inline-flex rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
          I have stored them — continue
        </a>
      </div>
    );
  }
  if (!start) {
    return (
      <div className="space-y-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Protect this account with a code from an authenticator app (any app that supports TOTP: Aegis, FreeOTP, Google Authenticator, 1Password, …).
        </p>
        <Button
          type="button"
          disabled={pending}
          onClick={() =>
            run(async () => {
              setError(null);
              const result = await beginEnrollmentAction();
              if (result.ok) setStart(result.data);
              else setError(result.message);
            })
          }
        >
          {pending ? "Working…" : "Set up two-factor login"}
        </Button>
        <AlertLine text={error} className="text-sm text-red-600" />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-400">
        <li>Scan the QR code with your authenticator app (or open the link on this device, or type the key).</li>
        <li>Enter the six-digit code the app shows.</li>
      </ol>
      <QrCode path={start.qrPath} size={start.qrSize} label="QR code for your authenticator app" />
      <p className="text-sm">
        Key: <code data-testid="totp-secret" className="break-all rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800">{start.secret.replace(/(.{4})/g, "$1 ").trim()}</code>
      </p>
      <p className="text-sm">
        <a data-testid="totp-uri" href={start.uri} className="text-indigo-600 hover:underline">
          Open in an authenticator app on this device
        </a>
      </p>
      <ActionForm action={confirmEnrollmentAction} testId="two-factor-confirm-form" onSuccess={(data) => setCodes(data.recoveryCodes)}>
        <FormField label="Code from the app" name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={8} required />
        <SubmitButton pendingText="Checking…">Turn on two-factor login</SubmitButton>
      </ActionForm>
    </div>
  );
}
