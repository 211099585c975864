"use client";
/**
 * A modal question before a destructive step (a whole-server restore, a delete): it names
 * the consequence and needs an explicit click on the named action; Escape or Cancel
 * changes nothing.
 */
import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { AlertLine } from "@/components/ui/outcome-line";

/** A confirmation dialog; `open` shows it as a modal. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = true,
  pending = false,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      aria-labelledby="confirm-dialog-title"
      className="fixed inset-0 m-auto h-fit w-full max-w-lg rounded-lg bg-white p-0 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-900/50 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
    >
      <div className="space-y-3 p-5 text-sm" data-testid="confirm-dialog">
        <h2 id="confirm-dialog-title" className="text-base font-semibold">
          {title}
        </h2>
        <div className="space-y-2 text-slate-600 dark:text-slate-300">{children}</div>
        <AlertLine text={error} className="text-red-700 dark:text-red-400" />
        <div className="flex justify-end gap-2 pt-2">
          <Button type="button" look="secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button type="button" look={danger ? "danger" : "primary"} onClick={onConfirm} disabled={pending}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </div>
    </dialog>
  );
}
