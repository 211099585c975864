/**
 * A download from a backup: a file's bytes, or a directory as `.tar.zst`, streamed from
 * the agent through the panel. The backup is authorized first (another server's or
 * tenant's: 404, the host is not asked); the path is validated at the edge and resolved
 * by the agent inside the snapshot only.
 */
import { z } from "zod";
import { AgentError } from "@/lib/agent-client";
import { streamBackupDownload, type StreamedAnswer } from "@/lib/agent-client/stream-download";
import type { Db } from "@/lib/db/client";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { guestPath } from "@/lib/protocol/backups";
import { open } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { getBackupOrThrow, snapshotRefOf } from "./get-backup-or-throw";

const input = z.object({ path: guestPath }).strict();

/** The streamed answer with a safe file name for the browser. */
export async function downloadBackup(db: Db, actor: Actor, serverId: string, backupId: string, raw: unknown): Promise<StreamedAnswer & { fileName: string }> {
  const { path } = parseInput(input, raw);
  // Support reads lists, not customers' files.
  if (actor.role === "SUPPORT") throw notFound();
  const loaded = await getBackupOrThrow(db, actor, serverId, backupId);
  const ref = snapshotRefOf(loaded);
  const host = await db.host.findUnique({ where: { id: loaded.backup.hostId } });
  if (!host) throw notFound();
  try {
    const answer = await streamBackupDownload(
      { endpoint: host.endpoint, credential: open(panelSecret(), hostCredentialPurpose, host.credentialCiphertext), tls: host.tlsCaPem ? { ca: host.tlsCaPem } : undefined },
      { ...ref, path },
    );
    await audit(db, actor, "backup.download", { type: "vserver", id: serverId }, { backupId: loaded.backup.id, path });
    const base = path.split("/").filter(Boolean).at(-1) ?? "root";
    const fileName = (answer.fileName ?? base).replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 200) || "download";
    return { ...answer, fileName };
  } catch (error) {
    if (error instanceof AgentError && error.code === "NOT_FOUND") throw notFound("No such file in this backup");
    if (error instanceof AgentError) throw new AppError("AGENT_FAILED", `the backup's host could not answer: ${error.message}`);
    throw error;
  }
}
