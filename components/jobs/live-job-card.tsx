/**
 * The job a server's page follows live: the one its URL names (`?job=`, where an action
 * sent the user), else the first that is still queued or running; nothing when there is none.
 */
import { Card } from "@/components/ui/card";
import type { JobSnapshot } from "@/lib/protocol/realtime";
import { JobProgress } from "./job-progress";

/** A card with the live progress of the job `named` (or of the first one still going). */
export function LiveJobCard({ jobs, named }: { jobs: JobSnapshot[]; named: string | undefined }) {
  const live = jobs.find((j) => j.id === named) ?? jobs.find((j) => j.state === "QUEUED" || j.state === "RUNNING");
  if (!live) return null;
  return (
    <Card title={`Job: ${live.type}`} className="mb-6">
      <JobProgress jobId={live.id} initial={{ id: live.id, type: live.type, state: live.state, progress: live.progress, error: live.error, vserverId: live.vserverId }} />
    </Card>
  );
}
