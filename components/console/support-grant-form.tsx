"use client";
/** An admin's form to let one support user open consoles on this server for a while. */
import { ActionForm, FormField, FormSelect, SubmitButton } from "@/components/ui/form";
import { grantSupportConsoleAction } from "@/lib/actions/console/console-actions";

/** Form props: the server and the support users to choose from. */
export function SupportGrantForm({ serverId, supportUsers }: { serverId: string; supportUsers: { id: string; email: string }[] }) {
  if (supportUsers.length === 0) return <p className="text-sm text-slate-500">There are no support accounts to grant a console to.</p>;
  return (
    <ActionForm action={grantSupportConsoleAction.bind(null, serverId)} testId="console-grant-form" className="grid grid-cols-1 gap-3 sm:grid-cols-4 sm:items-end">
      <FormSelect label="Support user" name="userId" defaultValue="">
        <option value="" disabled>
          Choose…
        </option>
        {supportUsers.map((u) => (
          <option key={u.id} value={u.id}>
            {u.email}
          </option>
        ))}
      </FormSelect>
      <FormField label="For (minutes)" name="minutes" type="number" min={5} max={720} defaultValue={60} />
      <FormField label="Reason" name="reason" placeholder="ticket #1234" maxLength={200} />
      <div>
        <SubmitButton pendingText="Granting…">Grant console</SubmitButton>
      </div>
    </ActionForm>
  );
}
