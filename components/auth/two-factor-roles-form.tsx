"use client";
/** The admin's choice of roles that must use two-factor login. */
import { ActionForm, SubmitButton } from "@/components/ui/form";
import { setTwoFactorRolesAction } from "@/lib/actions/two-factor/admin-two-factor-actions";
import { roles, type RoleName } from "@/lib/auth/roles";

const labels: Record<RoleName, string> = { ADMIN: "Administrators", RESELLER: "Resellers", CUSTOMER: "Customers", SUPPORT: "Support staff" };

/** Checkbox form of the roles requirement. */
export function TwoFactorRolesForm({ required }: { required: RoleName[] }) {
  return (
    <ActionForm action={setTwoFactorRolesAction} resetOnSuccess={false} testId="two-factor-roles-form">
      <fieldset className="space-y-2">
        <legend className="text-sm text-slate-600 dark:text-slate-400">
          Users of the checked roles must log in with a code. Those who have not set it up are sent to set it up after their password and can do nothing else until they have.
        </legend>
        {roles.map((role) => (
          <label key={role} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="roles" value={role} defaultChecked={required.includes(role)} />
            {labels[role]}
          </label>
        ))}
      </fieldset>
      <SubmitButton>Save</SubmitButton>
    </ActionForm>
  );
}
