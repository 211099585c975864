"use client";
/** "Sign out everywhere": ends every session of this account (other browsers and this one). */
import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm-dialog";
import { signOutEverywhereAction } from "@/lib/actions/sessions/session-actions";
import { AlertLine } from "@/components/ui/outcome-line";

/** The sessions card's content. */
export function SignOutEverywhere() {
  const [pending, run] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { dialog, ask } = useConfirm();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Lost a device or signed in somewhere you should not have? This ends every session of your account at its next click, this one included.
      </p>
      <Button
        type="button"
        look="secondary"
        disabled={pending}
        onClick={async () => {
          if (!(await ask({ title: "Sign out everywhere?", consequence: "Every browser signed in to this account is signed out, this one included.", confirmLabel: "Sign out everywhere", look: "primary" }))) return;
          run(async () => {
            const result = await signOutEverywhereAction();
            if (!result.ok) setError(result.message);
            else await signOut({ callbackUrl: "/login?reason=signed-out-everywhere" });
          });
        }}
      >
        {pending ? "Signing out…" : "Sign out everywhere"}
      </Button>
      {dialog}
      <AlertLine text={error} className="text-sm text-red-600" />
    </div>
  );
}
