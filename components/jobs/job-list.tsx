/** A short history of jobs with state and time, linking to each job's log. */
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/format";
import { jobKinds } from "@/lib/server/jobs/handlers";

/** Job history list. */
export function JobList({ jobs }: { jobs: { id: string; type: string; state: string; createdAt: Date; error: string | null; createdBy?: { email: string } | null }[] }) {
  if (jobs.length === 0) return <p className="text-sm text-slate-500">No jobs yet.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="job-list">
      {jobs.map((j) => (
        <li key={j.id} className="flex items-center justify-between gap-2 py-2">
          <Link href={`/jobs/${j.id}`} className="font-medium text-indigo-600 hover:underline">
            {jobKinds[j.type]?.label ?? j.type}
          </Link>
          <span className="truncate text-xs text-slate-500" title={j.error ?? undefined}>
            {j.createdBy?.email ?? ""} · {formatDateTime(j.createdAt)}
          </span>
          <Badge tone={j.state === "SUCCEEDED" ? "green" : j.state === "FAILED" ? "red" : "indigo"}>{j.state.toLowerCase()}</Badge>
        </li>
      ))}
    </ul>
  );
}
