/** The header row of a hand-built table (one whose rows are more than DataTable's cells). */

/** A header cell: its text; or a column that holds numbers (set right, like them); or a
 * column of buttons or check boxes, which shows nothing and is named for screen readers. */
export type HeadCell = string | { label: string; numeric: true } | { label: string; hidden: true; className?: string };

/** `<thead>` of `cells` (null: a column not shown to this viewer); `cellClass` pads them. */
export function TableHead({ cells, cellClass, className }: { cells: (HeadCell | null)[]; cellClass: string; className: string }) {
  return (
    <thead className={className}>
      <tr>
        {cells.map((c, i) => {
          if (c === null) return null;
          if (typeof c === "string") return <th key={c} className={`${cellClass} font-medium`}>{c}</th>;
          if ("hidden" in c) return <th key={c.label} className={c.className ?? `${cellClass} font-medium`} aria-label={c.label} />;
          return <th key={`${c.label}-${i}`} className={`${cellClass} text-right font-medium`}>{c.label}</th>;
        })}
      </tr>
    </thead>
  );
}
