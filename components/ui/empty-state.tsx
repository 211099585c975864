/** What a list shows when it has nothing yet, with the next step to take. */
import type { ReactNode } from "react";

/** An empty state. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center dark:border-slate-700">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children ? <p className="mt-1 text-sm text-slate-500">{children}</p> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
