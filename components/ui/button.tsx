/** The panel's button, in three looks. */
import type { ButtonHTMLAttributes } from "react";

const looks = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-400",
  secondary: "bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-700",
  danger: "bg-red-600 text-white hover:bg-red-500 disabled:bg-red-400",
} as const;

/** Props: a native button plus `look`. */
export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & { look?: keyof typeof looks };

/** A button. */
export function Button({ look = "primary", className = "", ...props }: ButtonProps) {
  return (
    <button
      className={`inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-semibold shadow-sm transition disabled:cursor-not-allowed ${looks[look]} ${className}`}
      {...props}
    />
  );
}
