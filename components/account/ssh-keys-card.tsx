"use client";
/** The account's SSH keys: each with its name, type, size and SHA256 fingerprint; add and delete. */
import { ActionButton } from "@/components/ui/action-button";
import { ActionForm, FormField, FormTextArea, SubmitButton } from "@/components/ui/form";
import { addSshKeyAction, deleteSshKeyAction } from "@/lib/actions/ssh-keys/ssh-key-actions";

/** A key as the card shows it. */
export interface SshKeyRow {
  id: string;
  name: string;
  type: string;
  bits: number;
  fingerprint: string;
  added: string;
}

/** SSH keys card content. */
export function SshKeysCard({ keys }: { keys: SshKeyRow[] }) {
  return (
    <div className="space-y-4 text-sm">
      <p className="text-slate-600 dark:text-slate-400">Keys you can give a server when it is built or reinstalled. Deleting a key here does not remove it from servers that have it.</p>
      {keys.length ? (
        <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="ssh-keys">
          {keys.map((k) => (
            <li key={k.id} className="flex flex-wrap items-start justify-between gap-2 py-2" data-testid="ssh-key">
              <div className="min-w-0">
                <p className="font-medium">{k.name}</p>
                <p className="break-all font-mono text-xs text-slate-600 dark:text-slate-400" data-testid="ssh-key-fingerprint">
                  {k.fingerprint}
                </p>
                <p className="text-xs text-slate-500">
                  {k.type} · {k.bits} bits · added {k.added}
                </p>
              </div>
              <ActionButton look="secondary" aria-label={`Delete key ${k.name}`} confirm={{ title: `Delete the key ${k.name}?`, consequence: "It is no longer offered for new servers and reinstalls. Servers that already have it keep it." }} action={() => deleteSshKeyAction(k.id)}>
                Delete
              </ActionButton>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-500">No keys yet.</p>
      )}
      <ActionForm action={addSshKeyAction} testId="ssh-key-form">
        <FormField label="Key name" name="name" placeholder="laptop" maxLength={100} required />
        <FormTextArea label="Public key" name="publicKey" rows={3} placeholder="ssh-ed25519 AAAA… you@laptop" hint="The contents of ~/.ssh/id_ed25519.pub: ed25519, ECDSA, or RSA of at least 2048 bits." required />
        <SubmitButton>Add key</SubmitButton>
      </ActionForm>
    </div>
  );
}
