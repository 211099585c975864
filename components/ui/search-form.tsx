/** A GET search box: the list re-renders on the server with `?q=`. */

/** Search form. */
export function SearchForm({ q, placeholder = "Search…", children }: { q?: string; placeholder?: string; children?: React.ReactNode }) {
  return (
    <form role="search" className="mb-4 flex flex-wrap gap-2">
      <label className="sr-only" htmlFor="q">
        Search
      </label>
      <input
        id="q"
        name="q"
        defaultValue={q}
        placeholder={placeholder}
        className="w-72 rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 dark:bg-slate-900 dark:ring-slate-700"
      />
      {children}
      <button type="submit" className="rounded-md px-3 py-2 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
        Search
      </button>
    </form>
  );
}

/** A filter beside the search box: one GET parameter `name` chosen from `options` (shown in
 * lower case), or none (`anyLabel`). */
export function SearchFilter({ name, label, value, anyLabel, options }: { name: string; label: string; value: string | undefined; anyLabel: string; options: readonly string[] }) {
  return (
    <select name={name} defaultValue={value ?? ""} aria-label={label} className="rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700">
      <option value="">{anyLabel}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o.toLowerCase()}
        </option>
      ))}
    </select>
  );
}
