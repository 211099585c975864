/**
 * `GET /servers/[serverId]/usage?range=day` (or `from`/`to`): the server's usage history
 * as JSON for its graphs; `?latest=1` the latest sample. Authorized like the server page
 * (404 for a server the user may not see).
 */
import { load } from "@/lib/server/load";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { historyQuery, spanOf } from "@/lib/server/usage/history-range";
import { readServerHistory, readServerSample } from "@/lib/server/usage/read-server-history";

export const dynamic = "force-dynamic";

/** The history or the latest sample, or `{ error }` with the status. */
export async function GET(req: Request, ctx: { params: Promise<{ serverId: string }> }): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  const { serverId } = await ctx.params;
  try {
    const actor = await currentActor();
    const params = Object.fromEntries(new URL(req.url).searchParams);
    if (params.latest === "1") return Response.json({ sample: await load(readServerSample, actor, serverId) }, { headers });
    const q = historyQuery.safeParse(params);
    if (!q.success) throw new AppError("BAD_REQUEST", `${q.error.issues[0]?.path.join(".")}: ${q.error.issues[0]?.message}`, String(q.error.issues[0]?.path[0] ?? ""));
    return Response.json(await load(readServerHistory, actor, serverId, spanOf(q.data)), { headers });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message, code: error.code, field: error.field }, { status: error.status, headers });
    console.error("usage history failed", error);
    return Response.json({ error: "Something went wrong on the server." }, { status: 500, headers });
  }
}
