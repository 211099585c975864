/**
 * A download from a backup: a file's bytes, or a directory as `.tar.zst`, streamed from
 * the agent through the panel. The backup is authorized first (another server's or
 * tenant's: 404, the host is not asked); the path is validated at the edge and resolved
 * by the agent inside the snapshot only.
 */
import { z } from "zod";
import { AgentError } from "@/lib/agent-client";
import { Readable } from "node:stream";
import { openBackupDownload } from "@/lib/agent-client/download-backup";
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

/** A streamed answer for the browser or the API. */
export interface StreamedDownload {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** Safe for a content-disposition header (`NAME`, or `NAME.tar.zst` for a directory). */
  fileName: string;
  contentLength: string | null;
}

/** The streamed answer with a safe file name. */
export async function downloadBackup(db: Db, actor: Actor, serverId: string, backupId: string, raw: unknown): Promise<StreamedDownload> {
  const { path } = parseInput(input, raw);
  // Support reads lists, not customers' files.
  if (actor.role === "SUPPORT") throw notFound();
  const loaded = await getBackupOrThrow(db, actor, serverId, backupId);
  const ref = snapshotRefOf(loaded);
  const host = await db.host.findUnique({ where: { id: loaded.backup.hostId } });
  if (!host) throw notFound();
  try {
    const answer = await openBackupDownload(
      { endpoint: host.endpoint, credential: open(panelSecret(), hostCredentialPurpose, host.credentialCiphertext), tls: host.tlsCaPem ? { ca: host.tlsCaPem } : undefined },
      { ...ref, path },
    );
    await audit(db, actor, "backup.download", { type: "vserver", id: serverId }, { backupId: loaded.backup.id, path });
    // The name comes from the guest's tree: only plain characters reach a header.
    const fileName = answer.filename.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 200) || "download";
    return {
      body: Readable.toWeb(answer.body) as unknown as ReadableStream<Uint8Array>,
      contentType: answer.kind === "dir" ? "application/zstd" : "application/octet-stream",
      fileName,
      contentLength: answer.size === null ? null : String(answer.size),
    };
  } catch (error) {
    if (error instanceof AgentError && error.code === "NOT_FOUND") throw notFound("No such file in this backup");
    if (error instanceof AgentError) throw new AppError("AGENT_FAILED", `the backup's host could not answer: ${error.message}`);
    throw error;
  }
}
