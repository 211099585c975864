/** A plain, accessible table with a header row and an empty state. */
import type { ReactNode } from "react";

/** One column: header text and how to render a row's cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

/** The columns of a table of `rows`, written apart from the table's call (so every table is
 * not the same block of props); `rows` only lends its row type to the cells. */
export function columnsOf<T>(_rows: T[], columns: Column<T>[]): Column<T>[] {
  return columns;
}

/** A data table. */
export function DataTable<T>({ rows, columns, rowKey, empty, testId, label }: { rows: T[]; columns: Column<T>[]; rowKey: (row: T) => string; empty?: ReactNode; testId?: string; label?: string }) {
  if (rows.length === 0 && empty) return <>{empty}</>;
  return (
    // On a phone a wide table scrolls inside this box; it takes keyboard focus so it can
    // be scrolled without a pointer too (a table of text has nothing else to focus).
    <div className="overflow-x-auto focus-visible:outline-2" tabIndex={0} role="region" aria-label={label ?? "Table (scrolls sideways on small screens)"}>
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={`px-2 py-2 font-medium ${c.className ?? ""}`}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={`px-2 py-2 align-middle ${c.className ?? ""}`}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
