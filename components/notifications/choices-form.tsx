"use client";
/** The user's events × channels matrix (in-panel list, e-mail, webhooks). */
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { saveChoicesAction } from "@/lib/actions/notifications/notification-actions";

/** The form. */
export function ChoicesForm({ rows, webhooks }: { rows: { type: string; label: string; on: Record<string, boolean> }[]; webhooks: boolean }) {
  const channels = webhooks ? (["PANEL", "EMAIL", "WEBHOOK"] as const) : (["PANEL", "EMAIL"] as const);
  const names = { PANEL: "In the panel", EMAIL: "E-mail", WEBHOOK: "Webhooks" };
  return (
    <ActionForm action={saveChoicesAction} resetOnSuccess={false} testId="choices-form">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col" className="py-1">Event</th>
            {channels.map((c) => (
              <th scope="col" key={c} className="py-1">
                {names[c]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.type} className="border-t border-slate-200 dark:border-slate-800">
              <th scope="row" className="py-1 text-left font-normal">
                {r.label}
              </th>
              {channels.map((c) => (
                <td key={c}>
                  <input type="checkbox" name={`${r.type}:${c}`} defaultChecked={r.on[c]} aria-label={`${r.label}: ${names[c]}`} className="h-4 w-4" />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <SubmitButton>Save choices</SubmitButton>
    </ActionForm>
  );
}
