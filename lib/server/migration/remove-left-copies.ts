/**
 * Copies a move left behind: when the source host could not be reached to delete the
 * server's old copy after the switch (its agent down at that moment), the move's job is
 * marked (`sourceCopyLeft`, with `sourceContextId`). The source's next reconciliation
 * deletes the copy — only while it is still exactly that copy: a server of that name and
 * context, stopped, the panel having the server on another host. Anything else (started
 * by hand since, another context) is left to the admin as "not in the panel".
 */
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import type { VserverInfo } from "@/lib/protocol/vservers";
import { recordAudit } from "@/lib/server/audit/record-audit";
import { mergeJobPayload } from "@/lib/server/jobs/merge-job-payload";

/** Deletes the left copies among `unmanaged` on host `hostId`; returns the names deleted. */
export async function removeLeftCopies(db: Db, agent: AgentClient, hostId: string, infos: VserverInfo[], unmanaged: string[]): Promise<string[]> {
  if (!unmanaged.length) return [];
  const moves = await db.job.findMany({
    where: { type: "server.migrate", hostId, payload: { contains: '"sourceCopyLeft":true' }, vserver: { name: { in: unmanaged }, hostId: { not: hostId } } },
    select: { id: true, payload: true, vserver: { select: { id: true, name: true } } },
  });
  const removed: string[] = [];
  for (const move of moves) {
    const payload = JSON.parse(move.payload) as { sourceContextId?: number; sourceCopyLeft?: boolean };
    const name = move.vserver!.name;
    const copy = infos.find((i) => i.name === name);
    if (!copy || copy.context !== payload.sourceContextId || copy.state !== "stopped" || removed.includes(name)) continue;
    try {
      await agent.deleteVserver({ name });
    } catch {
      continue; // tried again at the next reconciliation
    }
    removed.push(name);
    await mergeJobPayload(db, move.id, { sourceCopyLeft: false });
    await recordAudit(db, { actor: { type: "SYSTEM" }, action: "migration.left-copy-removed", target: { type: "vserver", id: move.vserver!.id }, details: { name, hostId, context: copy.context, jobId: move.id } });
  }
  return removed;
}
