/** Recovery codes, shown once right after they were made. */

/** The list of fresh recovery codes with what to do with them. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <div className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-800" role="status">
      <p className="font-medium">Recovery codes — store them somewhere safe now, they are shown only once.</p>
      <p className="mt-1 text-xs">Each one logs you in once in place of a code from your app, if you lose your phone.</p>
      <ul data-testid="recovery-codes" className="mt-2 grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((c) => (
          <li key={c} className="rounded bg-white px-2 py-1 dark:bg-slate-900">
            {c}
          </li>
        ))}
      </ul>
    </div>
  );
}
