/**
 * One directory of a backup's snapshot, for the file browser. The backup is authorized
 * first (another server's or tenant's snapshot: 404, the host is not asked); the path is
 * validated at the edge and the agent never follows a symlink out of the snapshot.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AgentError } from "@/lib/agent-client";
import { AppError, notFound } from "@/lib/errors";
import { guestPath, type SnapshotEntry } from "@/lib/protocol/backups";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { getBackupOrThrow, snapshotRefOf } from "./get-backup-or-throw";
import { hostAgent } from "./host-agent";

const input = z.object({ path: guestPath.default("/") }).strict();

/** The directory's entries (owners and providers; support gets 404). */
export async function browseBackup(db: Db, actor: Actor, serverId: string, backupId: string, raw: unknown): Promise<{ path: string; entries: SnapshotEntry[] }> {
  const { path } = parseInput(input, raw ?? {});
  // Support reads the list, not the customers' files.
  if (actor.role === "SUPPORT") throw notFound();
  const loaded = await getBackupOrThrow(db, actor, serverId, backupId);
  const ref = snapshotRefOf(loaded);
  const agent = await hostAgent(db, loaded.backup.hostId, 60_000)();
  try {
    return await agent.browseBackup({ ...ref, path });
  } catch (error) {
    if (error instanceof AgentError && error.code === "NOT_FOUND") throw notFound("No such directory in this backup");
    if (error instanceof AgentError) throw new AppError("AGENT_FAILED", `the backup's host could not answer: ${error.message}`);
    throw error;
  }
}
