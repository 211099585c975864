"use client";
/**
 * What the host does when the server's init ends on its own (a crash, an OOM kill of its
 * init): restart it with back-off, or leave it stopped. A reboot from inside always
 * restarts and a halt from inside always stays stopped, whatever is chosen here.
 */
import { ActionForm, FormSelect, SubmitButton } from "@/components/ui/form";
import { setRestartPolicyAction } from "@/lib/actions/servers/set-restart-policy-action";

const labels = { "on-failure": "Restart it (after 1 s, doubling up to 5 min while it keeps failing)", never: "Leave it stopped" } as const;

/** The policy, and a form to change it (`canChange`: the owner, its reseller, an admin). */
export function RestartPolicyCard({ serverId, policy, canChange }: { serverId: string; policy: "never" | "on-failure" | null; canChange: boolean }) {
  const shown = policy === null ? "as the host has it (not chosen in the panel yet)" : labels[policy];
  return (
    <div className="space-y-3 text-sm" data-testid="restart-policy" data-policy={policy ?? ""}>
      <p>
        When it stops on its own: <span className="font-semibold">{shown}</span>. A reboot from inside always restarts it; a halt from inside leaves it stopped.
      </p>
      {canChange ? (
        <ActionForm action={setRestartPolicyAction.bind(null, serverId)} resetOnSuccess={false} className="flex flex-wrap items-end gap-3">
          <FormSelect label="When it stops on its own" name="policy" defaultValue={policy ?? "on-failure"}>
            <option value="on-failure">{labels["on-failure"]}</option>
            <option value="never">{labels.never}</option>
          </FormSelect>
          <SubmitButton look="secondary">Save</SubmitButton>
        </ActionForm>
      ) : null}
    </div>
  );
}
