/** Shows a secret (token, password) that will not be shown again, with a copy hint. */

/** Secret box. */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800" role="status">
      <p className="font-medium">{label} — copy it now, it is shown only once:</p>
      <code data-testid="secret-value" className="mt-1 block break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-slate-900">
        {value}
      </code>
    </div>
  );
}
