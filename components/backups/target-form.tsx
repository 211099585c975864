"use client";
/**
 * The admin's form for an SFTP target: for one host or all hosts. Before it is saved,
 * the SSH server must let the host(s) in: their public keys are shown to copy into its
 * authorized_keys.
 */
import { ActionForm, FormField, FormSelect, SubmitButton } from "@/components/ui/form";
import { saveBackupTargetAction } from "@/lib/actions/backups/save-backup-target-action";

/** SFTP target form. */
export function TargetForm({ hosts }: { hosts: { id: string; name: string; sshPublicKey: string | null }[] }) {
  return (
    <ActionForm action={saveBackupTargetAction} testId="backup-target-form">
      <div className="rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-950">
        <p className="font-medium">Authorize the hosts on the SSH server first</p>
        <p className="mt-1 text-slate-500">Add each host&apos;s key to <code>~/.ssh/authorized_keys</code> of the backup user there (a chroot-ed SFTP-only account is enough).</p>
        <ul className="mt-2 space-y-2">
          {hosts.map((h) => (
            <li key={h.id}>
              <span className="text-xs font-medium text-slate-600 dark:text-slate-300">{h.name}</span>
              {h.sshPublicKey ? (
                <textarea readOnly rows={3} className="mt-1 block w-full resize-none rounded-md bg-white p-2 font-mono text-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-700" value={h.sshPublicKey} data-testid="host-ssh-key" />
              ) : (
                <p className="text-xs text-amber-700">the host is not reachable now: its key cannot be shown</p>
              )}
            </li>
          ))}
        </ul>
      </div>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        <FormField label="Name" name="name" placeholder="Offsite storage" required />
        <FormSelect label="For" name="hostId" defaultValue="">
          <option value="">all hosts</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              host {h.name}
            </option>
          ))}
        </FormSelect>
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" name="isDefault" className="h-4 w-4" />
          New backups go here
        </label>
        <FormField label="SSH server" name="host" placeholder="backup.example.com" required />
        <FormField label="Port" name="port" type="number" min={1} max={65535} defaultValue="22" />
        <FormField label="User" name="user" placeholder="vsbackup" required />
        <FormField label="Repository directory" name="path" placeholder="repos/panel" required className="md:col-span-2" />
        <FormField label="Host key (optional: pinned on first use)" name="hostKey" placeholder="ssh-ed25519 AAAA…" />
      </div>
      <SubmitButton>Add target</SubmitButton>
    </ActionForm>
  );
}
