"use client";
/**
 * The panel's "are you sure" for destructive actions, in place of the browser's plain
 * `confirm()`: a modal `<dialog>` (focus kept inside, Escape cancels) that names the
 * consequence and, for the worst ones (terminate, reinstall), wants the server's name
 * typed before the confirm button unlocks — a click on the wrong row cannot delete a disk.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";

/** What one question says and needs. */
export interface ConfirmRequest {
  /** The question, short ("Terminate web1?"). */
  title: string;
  /** What happens, said plainly ("Its disk is deleted; this cannot be undone."). */
  consequence: ReactNode;
  /** The confirm button's label (the action's own name, e.g. "Terminate"). */
  confirmLabel?: string;
  /** When set, this text must be typed exactly before the action may run. */
  typeToConfirm?: string;
  /** Red confirm button (default) or the ordinary one. */
  look?: "danger" | "primary";
}

function ConfirmDialog({ request, onAnswer }: { request: ConfirmRequest; onAnswer: (yes: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const titleId = useId();
  const textId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const locked = request.typeToConfirm !== undefined && typed.trim() !== request.typeToConfirm;
  return (
    <dialog
      ref={ref}
      data-testid="confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(e) => {
        e.preventDefault();
        onAnswer(false);
      }}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:bg-slate-900 dark:text-slate-100"
    >
      <form
        method="dialog"
        className="space-y-4 p-5"
        onSubmit={(e) => {
          e.preventDefault();
          if (!locked) onAnswer(true);
        }}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {request.title}
        </h2>
        <div id={textId} className="text-sm text-slate-700 dark:text-slate-300" data-testid="confirm-consequence">
          {request.consequence}
        </div>
        {request.typeToConfirm !== undefined ? (
          <label className="block text-sm">
            Type <span className="font-mono font-semibold">{request.typeToConfirm}</span> to confirm
            <input
              data-testid="confirm-typed"
              autoFocus
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              className="mt-1 block w-full rounded-md border-0 px-3 py-2 font-mono text-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
            />
          </label>
        ) : null}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" look="secondary" data-testid="confirm-no" autoFocus={request.typeToConfirm === undefined} onClick={() => onAnswer(false)}>
            Cancel
          </Button>
          <Button type="submit" look={request.look ?? "danger"} data-testid="confirm-yes" disabled={locked}>
            {request.confirmLabel ?? "Confirm"}
          </Button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * A promise-shaped confirm for client components: render `dialog` somewhere in the
 * component and `await ask({...})` where `window.confirm` used to be.
 */
export function useConfirm(): { dialog: ReactNode; ask: (request: ConfirmRequest) => Promise<boolean> } {
  const [pending, setPending] = useState<{ request: ConfirmRequest; resolve: (yes: boolean) => void } | null>(null);
  const ask = useCallback((request: ConfirmRequest) => new Promise<boolean>((resolve) => setPending({ request, resolve })), []);
  const dialog = pending ? (
    <ConfirmDialog
      request={pending.request}
      onAnswer={(yes) => {
        pending.resolve(yes);
        setPending(null);
      }}
    />
  ) : null;
  return { dialog, ask };
}
