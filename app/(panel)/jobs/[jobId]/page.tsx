/** `/jobs/[jobId]`: one job's progress and full log, live while it runs. */
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { JobProgress } from "@/components/jobs/job-progress";
import { formatDateTime } from "@/lib/format";
import { currentActor } from "@/lib/server/auth/current-actor";
import { requireUser } from "@/lib/server/auth/current-user";
import { jobKinds } from "@/lib/server/jobs/handlers";
import { getJobOrThrow } from "@/lib/server/jobs/get-job-or-throw";
import { loadOrNotFound } from "@/lib/server/load-or-not-found";

export const metadata: Metadata = { title: "Job" };
export const dynamic = "force-dynamic";

/** Job page. */
export default async function JobPage({ params }: { params: Promise<{ jobId: string }> }) {
  await requireUser();
  const { jobId } = await params;
  const job = await loadOrNotFound(getJobOrThrow, await currentActor(), jobId);
  const payload = JSON.parse(job.payload) as Record<string, unknown>;
  return (
    <>
      <PageHeader title={jobKinds[job.type]?.label ?? job.type} description={`Queued ${formatDateTime(job.createdAt)}${job.finishedAt ? ` · finished ${formatDateTime(job.finishedAt)}` : ""}`} />
      <Card>
        <JobProgress jobId={job.id} initial={{ id: job.id, type: job.type, state: job.state, progress: job.progress, error: job.error, vserverId: job.vserverId }} refreshOnEnd={false} />
        <p className="mt-4 text-sm">
          {job.vserverId ? (
            <Link href={`/servers/${job.vserverId}`} className="text-indigo-600 hover:underline">
              Go to the server
            </Link>
          ) : job.type === "server.create" ? (
            <span className="text-slate-500">The server {String(payload.name ?? "")} was not kept.</span>
          ) : null}
        </p>
      </Card>
    </>
  );
}
