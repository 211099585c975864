/** A labelled input with an optional error, wired for screen readers. */
import type { InputHTMLAttributes } from "react";

/** Props: a native input plus label and error text. */
export type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | null; name: string };

/** A form field. */
export function Field({ label, error, name, id, className = "", ...props }: FieldProps) {
  const inputId = id ?? `field-${name}`;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${inputId}-error` : undefined}
        className="mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 sm:text-sm dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700"
        {...props}
      />
      {error ? (
        <p id={`${inputId}-error`} className="mt-1 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
