"use client";
/**
 * A button that runs a bound server action (e.g. suspend this user), asks for
 * confirmation in the panel's dialog when told to (a string is the consequence; a
 * request may also want a name typed), shows the error in place, and refreshes the page's data.
 */
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import { Button, type ButtonProps } from "./button";
import { useConfirm, type ConfirmRequest } from "./confirm-dialog";

/** Action button. */
export function ActionButton<T>({
  action,
  confirm,
  children,
  onDone,
  ...props
}: Omit<ButtonProps, "onClick" | "action"> & { action: () => Promise<ActionResult<T>>; confirm?: string | ConfirmRequest; onDone?: (data: T) => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { dialog, ask } = useConfirm();
  const label = typeof children === "string" ? children : undefined;
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button
        type="button"
        disabled={pending}
        onClick={async () => {
          if (confirm) {
            const request: ConfirmRequest = typeof confirm === "string" ? { title: label ? `${label}?` : "Are you sure?", consequence: confirm, confirmLabel: label } : { confirmLabel: label, ...confirm };
            if (!(await ask(request))) return;
          }
          setError(null);
          start(async () => {
            const result = await action();
            if (!result.ok) setError(result.message);
            else {
              onDone?.(result.data);
              router.refresh();
            }
          });
        }}
        {...props}
      >
        {pending ? "Working…" : children}
      </Button>
      {dialog}
      {error ? (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </span>
  );
}
