"use client";
/** Suspend/reactivate, reset password (shown once) and delete, for one user. */
import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { SecretOnce } from "@/components/ui/secret-once";
import { deleteUserAction, resetPasswordAction, setUserStatusAction } from "@/lib/actions/users/user-actions";

/** User actions. */
export function UserAdminActions({ id, email, status, afterDeleteHref }: { id: string; email: string; status: "ACTIVE" | "SUSPENDED"; afterDeleteHref: string }) {
  const [password, setPassword] = useState<string | null>(null);
  return (
    <div className="space-y-3">
      {password ? <SecretOnce label={`New password of ${email}`} value={password} /> : null}
      <div className="flex flex-wrap gap-2">
        {status === "ACTIVE" ? (
          <ActionButton look="secondary" confirm={`Suspend ${email}? They can no longer log in.`} action={() => setUserStatusAction(id, "SUSPENDED")}>
            Suspend
          </ActionButton>
        ) : (
          <ActionButton look="secondary" action={() => setUserStatusAction(id, "ACTIVE")}>
            Reactivate
          </ActionButton>
        )}
        <ActionButton look="secondary" confirm={`Generate a new password for ${email}? Their sessions end.`} action={() => resetPasswordAction(id)} onDone={(d) => setPassword(d.password)}>
          Reset password
        </ActionButton>
        <ActionButton
          look="danger"
          confirm={{ title: `Delete ${email}?`, consequence: "The account, its sessions, API tokens and SSH keys are deleted and it can no longer log in. This cannot be undone." }}
          action={() => deleteUserAction(id)}
          onDone={() => {
            window.location.href = afterDeleteHref;
          }}
        >
          Delete
        </ActionButton>
      </div>
    </div>
  );
}
