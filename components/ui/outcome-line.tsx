/** The one-line outcome of an action shown in place: a status when it worked, an alert when not. */

/** What happened. */
export interface Outcome {
  ok: boolean;
  text: string;
}

/** Renders `outcome` (nothing when null). */
export function OutcomeLine({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) return null;
  return (
    <p role={outcome.ok ? "status" : "alert"} className={outcome.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}>
      {outcome.text}
    </p>
  );
}

/** An error in place, announced to screen readers; nothing when there is none. `className`
 * fits it to where it stands (a dialog, a card, a row of buttons). */
export function AlertLine({ text, className }: { text: string | null | undefined; className: string }) {
  if (!text) return null;
  return (
    <p role="alert" className={className}>
      {text}
    </p>
  );
}
