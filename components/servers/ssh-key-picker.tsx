"use client";
/** Check boxes of the account's SSH keys, for the wizard and the reinstall form (keys are added under Account). */
import Link from "next/link";

/** A key as pickers show it. */
export interface PickableKey {
  id: string;
  name: string;
  fingerprint: string;
}

/** The picker: `chosen` ids are checked. */
export function SshKeyPicker({ keys, chosen, onChange }: { keys: PickableKey[]; chosen: string[]; onChange: (ids: string[]) => void }) {
  if (!keys.length) {
    return (
      <p className="text-xs text-slate-500">
        No keys in your account yet: add them under{" "}
        <Link href="/account" className="text-indigo-700 underline dark:text-indigo-300">
          Account
        </Link>
        .
      </p>
    );
  }
  return (
    <fieldset className="space-y-1" data-testid="ssh-key-picker">
      <legend className="text-sm font-medium">Keys from your account</legend>
      {keys.map((k) => (
        <label key={k.id} className="flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-1"
            checked={chosen.includes(k.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, k.id] : chosen.filter((id) => id !== k.id))}
          />
          <span className="min-w-0">
            {k.name} <span className="block break-all font-mono text-xs text-slate-500">{k.fingerprint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
