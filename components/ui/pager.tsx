/** Previous/next links for a paged list, keeping the other query parameters. */
import Link from "next/link";

/** Pager for `page` of `pages`. */
export function Pager({ page, pages, total, params }: { page: number; pages: number; total: number; params: Record<string, string | undefined> }) {
  const href = (p: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined) as [string, string][]), page: String(p) })}`;
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm text-slate-500">
      <span>
        {total} in total · page {page} of {pages}
      </span>
      <span className="flex gap-2">
        {page > 1 ? (
          <Link href={href(page - 1)} className="rounded-md px-2 py-1 ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link href={href(page + 1)} className="rounded-md px-2 py-1 ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800">
            Next
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
