"use client";
/**
 * Forms bound to a server action: the action's result shows as a banner, and an error
 * that names a field shows under that field (and marks it invalid for screen readers).
 */
import { createContext, startTransition, useActionState, useContext, useEffect, useRef, useState, type ReactNode, type SelectHTMLAttributes, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";
import type { ActionResult } from "@/lib/actions/action-result";
import { Button } from "./button";

/** A server action as a form runs it: the previous result and the form in, a result out. */
export type FormAction<T> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

const FormState = createContext<ActionResult<unknown> | null>(null);
/** Names of the fields rendered in the form, so an error for a field not shown still appears. */
const FieldNames = createContext<Set<string> | null>(null);
const Pending = createContext(false);

/** A form whose submit runs `action`. `onSuccess` sees the result data (e.g. a token to show once). */
export function ActionForm<T>({
  action,
  children,
  className = "space-y-4",
  resetOnSuccess = true,
  onSuccess,
  testId,
}: {
  action: FormAction<T>;
  children: ReactNode;
  className?: string;
  resetOnSuccess?: boolean;
  onSuccess?: (data: T) => void;
  testId?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const ref = useRef<HTMLFormElement>(null);
  const [names] = useState(() => new Set<string>());
  useEffect(() => {
    if (state?.ok) {
      if (resetOnSuccess) ref.current?.reset();
      onSuccess?.(state.data);
    }
    // onSuccess is a callback prop; run only when a new result arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);
  return (
    <FormState.Provider value={state as ActionResult<unknown> | null}>
      <FieldNames.Provider value={names}>
        <Pending.Provider value={pending}>
          {/* Submitted by hand rather than through `action=`: React resets a form after an
              action, which would throw away what the user typed when the server refuses it. */}
          <form
            ref={ref}
            className={className}
            data-testid={testId}
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const data = new FormData(event.currentTarget);
              startTransition(() => formAction(data));
            }}
          >
            {children}
            <FormBanner />
          </form>
        </Pending.Provider>
      </FieldNames.Provider>
    </FormState.Provider>
  );
}

/** The result banner, rendered after the fields so it knows which fields are on screen. */
function FormBanner() {
  const state = useContext(FormState);
  const names = useContext(FieldNames);
  if (state?.ok && state.message) {
    return (
      <p role="status" data-testid="form-success" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
        {state.message}
      </p>
    );
  }
  if (!state || state.ok) return null;
  // An error about a field that is on screen is shown under that field only.
  const top = state.field?.split(".")[0];
  if (top && names?.has(top)) return null;
  return (
    <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
      {state.message}
    </p>
  );
}

function useFieldError(name: string): string | null {
  const state = useContext(FormState);
  useContext(FieldNames)?.add(name);
  if (!state || state.ok || !state.field) return null;
  if (state.field !== name && !state.field.startsWith(`${name}.`)) return null;
  const prefix = `${state.field}: `;
  return state.message.startsWith(prefix) ? state.message.slice(prefix.length) : state.message;
}

const inputClass =
  "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700";

/** The error the action named `name` with, for inputs built by hand (a group of check boxes). */
export function FieldError({ name }: { name: string }) {
  const error = useFieldError(name);
  return error ? (
    <p role="alert" className="mt-1 text-sm text-red-600">
      {error}
    </p>
  ) : null;
}

/** What a labelled control needs from its field: its id, its error, and the aria attributes
 * that tie the error (or else the hint) to it. */
function useLabelledField(name: string, hint: string | undefined) {
  const error = useFieldError(name);
  const id = `f-${name}`;
  const aria = { "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined } as const;
  return { error, id, aria };
}

/** The frame every form control shares: the label above, then the control, then the hint
 * (while there is no error) and the error. `alert` announces the error to screen readers. */
function LabelledField({ id, label, hint, error, alert, className, children }: { id: string; label: string; hint?: string; error: string | null; alert: boolean; className: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role={alert ? "alert" : undefined} className="mt-1 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input inside an ActionForm. */
export function FormField({ label, name, hint, className = "", ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; hint?: string }) {
  const { error, id, aria } = useLabelledField(name, hint);
  return (
    <LabelledField id={id} label={label} hint={hint} error={error} alert={false} className={className}>
      <input id={id} name={name} {...aria} className={inputClass} {...props} />
    </LabelledField>
  );
}

/** A labelled multi-line input inside an ActionForm (e.g. a pasted public key). */
export function FormTextArea({ label, name, hint, className = "", ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; hint?: string }) {
  const { error, id, aria } = useLabelledField(name, hint);
  return (
    <LabelledField id={id} label={label} hint={hint} error={error} alert className={className}>
      <textarea id={id} name={name} {...aria} className={`${inputClass} font-mono`} {...props} />
    </LabelledField>
  );
}

/** A labelled select inside an ActionForm. */
export function FormSelect({ label, name, children, className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string }) {
  const { error, id } = useLabelledField(name, undefined);
  return (
    <LabelledField id={id} label={label} error={error} alert={false} className={className}>
      <select id={id} name={name} aria-invalid={error ? true : undefined} className={inputClass} {...props}>
        {children}
      </select>
    </LabelledField>
  );
}

/** The submit button; disabled while the action runs. */
export function SubmitButton({ children, pendingText, look }: { children: ReactNode; pendingText?: string; look?: "primary" | "secondary" | "danger" }) {
  const pending = useContext(Pending);
  return (
    <Button type="submit" disabled={pending} look={look}>
      {pending ? (pendingText ?? "Saving…") : children}
    </Button>
  );
}
