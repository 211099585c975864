/**
 * Copies a move left behind: when the source host could not be reached to delete the
 * server's old copy after the switch (its agent down at that moment), the move's job is
 * marked (`sourceCopyLeft`, with `sourceContextId`); when a move failed before the switch
 * and the target could not be reached to delete what it had built (`targetCopyLeft`, the
 * target's id), likewise. That host's next reconciliation deletes the copy — only while
 * it is stopped, not the panel's there, the panel having the server on another host, and
 * on the source only exactly the copy that moved (its context). Anything else (started by
 * hand since, another context) is left to the admin as "not in the panel".
 */
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import type { VserverInfo } from "@/lib/protocol/vservers";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { mergeJobPayload } from "@/lib/server/jobs/merge-job-payload";

/** Deletes the left copies among `unmanaged` on host `hostId`; returns the names deleted. */
export async function removeLeftCopies(db: Db, agent: AgentClient, hostId: string, infos: VserverInfo[], unmanaged: string[]): Promise<string[]> {
  if (!unmanaged.length) return [];
  const select = { id: true, payload: true, vserver: { select: { id: true, name: true } } } as const;
  // Never while the server has a job under way (a new move may be building it there right now).
  const elsewhere = { name: { in: unmanaged }, hostId: { not: hostId }, jobs: { none: { state: { in: ["QUEUED" as const, "RUNNING" as const] } } } };
  // Copies on a move's source (after the switch) and on its target (a move that failed before it).
  const [fromSource, onTarget] = await Promise.all([
    db.job.findMany({ where: { type: "server.migrate", hostId, payload: { contains: '"sourceCopyLeft":true' }, vserver: elsewhere }, select }),
    db.job.findMany({ where: { type: "server.migrate", state: { in: ["FAILED", "SUCCEEDED"] }, payload: { contains: `"targetCopyLeft":"${hostId}"` }, vserver: elsewhere }, select }),
  ]);
  const removed: string[] = [];
  for (const [move, side] of [...fromSource.map((m) => [m, "source"] as const), ...onTarget.map((m) => [m, "target"] as const)]) {
    const payload = JSON.parse(move.payload) as { sourceContextId?: number };
    const name = move.vserver!.name;
    const copy = infos.find((i) => i.name === name);
    // On the source, exactly the copy that moved (its context); on the target, the copy the
    // failed move built there (the name was free on that host when the move began).
    if (!copy || copy.state !== "stopped" || removed.includes(name) || (side === "source" && copy.context !== payload.sourceContextId)) continue;
    try {
      await agent.deleteVserver({ name });
    } catch {
      continue; // tried again at the next reconciliation
    }
    removed.push(name);
    await mergeJobPayload(db, move.id, side === "source" ? { sourceCopyLeft: false } : { targetCopyLeft: null });
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "migration.left-copy-removed", target: { type: "vserver", id: move.vserver!.id }, details: { name, hostId, side, context: copy.context, jobId: move.id } });
  }
  return removed;
}
