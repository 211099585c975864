/**
 * `GET /servers/[serverId]/backups/[backupId]/download?path=/etc/hosts`: a file of a
 * backup, or a directory as `.tar.zst`, streamed from the backup's host. Authorized like
 * the server page (404 for a backup the user may not see).
 */
import { load } from "@/lib/server/load";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { downloadBackup } from "@/lib/server/backups/download-backup";

export const dynamic = "force-dynamic";

/** The bytes as an attachment, or `{ error }` with the status. */
export async function GET(req: Request, ctx: { params: Promise<{ serverId: string; backupId: string }> }): Promise<Response> {
  const { serverId, backupId } = await ctx.params;
  try {
    const actor = await currentActor();
    const path = new URL(req.url).searchParams.get("path") ?? "";
    const answer = await load(downloadBackup, actor, serverId, backupId, { path });
    return new Response(answer.body, {
      headers: {
        "content-type": answer.contentType,
        "content-disposition": `attachment; filename="${answer.fileName}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        ...(answer.contentLength ? { "content-length": answer.contentLength } : {}),
      },
    });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message, code: error.code }, { status: error.status });
    console.error("backup download failed", error);
    return Response.json({ error: "Something went wrong on the server." }, { status: 500 });
  }
}
