"use client";
/** The admin's form to enroll a host by its agent's endpoint and credential. */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { enrollHostAction } from "@/lib/actions/hosts/enroll-host-action";

/** Enroll form. */
export function EnrollHostForm() {
  return (
    <ActionForm action={enrollHostAction} testId="enroll-host-form">
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <FormField label="Name" name="name" placeholder="host2.example.com" required />
        <FormField label="Agent endpoint" name="endpoint" placeholder="https://host2.example.com:8443 or unix:/run/vservers/agent.sock" required />
        <FormField
          label="Agent credential"
          name="credential"
          type="password"
          autoComplete="off"
          hint="Printed by the agent at its first start; on the host: cat /etc/vservers/.agent/credential"
          required
        />
        <FormField label="Max servers" name="maxServers" type="number" min={0} placeholder="100" />
        <label className="block text-sm font-medium text-slate-700 md:col-span-2 dark:text-slate-300">
          Agent certificate (https endpoints)
          <textarea
            name="tlsCaPem"
            rows={3}
            placeholder="-----BEGIN CERTIFICATE----- … (on the host: cat /etc/vservers/.agent/tls.crt)"
            className="mt-1 block w-full rounded-md border-0 px-3 py-2 font-mono text-xs shadow-sm ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
          />
        </label>
      </div>
      <SubmitButton pendingText="Checking the agent…">Enroll host</SubmitButton>
    </ActionForm>
  );
}
