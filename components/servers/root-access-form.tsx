"use client";
/** Set the server's root password or add an SSH key (applied inside the running server). */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { setRootAccessAction } from "@/lib/actions/servers/set-root-access-action";

/** Root access form. */
export function RootAccessForm({ serverId }: { serverId: string }) {
  return (
    <ActionForm action={setRootAccessAction.bind(null, serverId)} testId="root-access-form">
      <FormField label="New root password" name="rootPassword" type="password" autoComplete="new-password" hint="At least 8 characters; never stored by the panel." />
      <FormField label="SSH public key" name="sshKey" placeholder="ssh-ed25519 AAAA… you@laptop" />
      <SubmitButton>Save</SubmitButton>
    </ActionForm>
  );
}
