"use client";
/**
 * The login form. It posts through next-auth's credentials callback without a full
 * page redirect, so a wrong password or a throttle shows a message in place. When the
 * account has two-factor login on, the server answers the right password with
 * "TwoFactorRequired" and the form asks for the code (or a recovery code) and sends the
 * three together: the password never turns into a session without the second factor.
 * Afterwards it goes to `next` only when that stays on the panel (lib/security/safe-redirect).
 */
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { safeRedirectPath } from "@/lib/security/safe-redirect";

const messages: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  Throttled: "Too many failed attempts. Wait a few minutes and try again.",
  TwoFactorInvalid: "That code is not right, or it was used already. Wait for the next code and try again.",
};

/** Login form. */
export function LoginForm({ next }: { next?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [needCode, setNeedCode] = useState(false);
  // Bumped to remount (and so clear and refocus) the code field after a wrong code.
  const [attempt, setAttempt] = useState(0);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const code = String(form.get("code") ?? "").trim();
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      ...(needCode && code ? { code } : {}),
      redirect: false,
    });
    setBusy(false);
    if (result?.error === "TwoFactorRequired") {
      setNeedCode(true);
      return;
    }
    if (!result || result.error) {
      setError(messages[result?.error ?? ""] ?? "Login failed. Try again.");
      if (result?.error === "TwoFactorInvalid") setAttempt((n) => n + 1);
      return;
    }
    // Resolved against this origin and refused when it leaves it (`/\host`, `/%09/host`, …).
    router.replace(safeRedirectPath(next, "/", window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div className={needCode ? "hidden" : "space-y-4"}>
        <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {needCode ? (
        <div className="space-y-2" data-testid="login-code-step">
          <p className="text-sm text-slate-600 dark:text-slate-400">Enter the six-digit code from your authenticator app, or one of your recovery codes.</p>
          <Field
            key={attempt}
            label="Authentication code"
            name="code"
            type="text"
            inputMode="text"
            autoComplete="one-time-code"
            spellCheck={false}
            maxLength={32}
            required
            autoFocus
          />
        </div>
      ) : null}
      {error ? (
        <p role="alert" data-testid="login-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? "Signing in…" : needCode ? "Verify" : "Sign in"}
      </Button>
      {needCode ? (
        <button
          type="button"
          className="w-full text-center text-sm text-slate-500 hover:underline"
          onClick={() => {
            setNeedCode(false);
            setError(null);
          }}
        >
          Use another account
        </button>
      ) : null}
    </form>
  );
}
