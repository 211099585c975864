"use client";
/** Create a user (admins: any role, optionally a reseller's customer; resellers: a customer). */
import { useState } from "react";
import { ActionForm, FormField, FormSelect, SubmitButton } from "@/components/ui/form";
import { SecretOnce } from "@/components/ui/secret-once";
import { createUserAction } from "@/lib/actions/users/user-actions";

/** Create-user form. */
export function CreateUserForm({ asAdmin, resellers = [] }: { asAdmin: boolean; resellers?: { id: string; email: string }[] }) {
  const [created, setCreated] = useState<{ email: string; password: string | null } | null>(null);
  return (
    <div className="space-y-4">
      {created?.password ? <SecretOnce label={`Password of ${created.email}`} value={created.password} /> : null}
      {created && !created.password ? <p role="status" className="text-sm text-emerald-700">Created {created.email}.</p> : null}
      <ActionForm action={createUserAction} onSuccess={(d) => setCreated(d)} testId="create-user-form">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <FormField label="Email" name="email" type="email" required />
          <FormField label="Name" name="name" />
          <FormField label="Password" name="password" type="password" autoComplete="new-password" hint="Leave empty to generate one (shown once)." />
          {asAdmin ? (
            <>
              <FormSelect label="Role" name="role" defaultValue="CUSTOMER">
                <option value="CUSTOMER">Customer</option>
                <option value="RESELLER">Reseller</option>
                <option value="SUPPORT">Support</option>
                <option value="ADMIN">Administrator</option>
              </FormSelect>
              <FormSelect label="Customer of" name="resellerId" defaultValue="">
                <option value="">the house</option>
                {resellers.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.email}
                  </option>
                ))}
              </FormSelect>
            </>
          ) : null}
        </div>
        <SubmitButton>{asAdmin ? "Create user" : "Create customer"}</SubmitButton>
      </ActionForm>
    </div>
  );
}
