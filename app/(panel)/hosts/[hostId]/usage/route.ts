/** `GET /hosts/[hostId]/usage?range=day`: a host's usage history (admins and support). */
import { load } from "@/lib/server/load";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { historyQuery, spanOf } from "@/lib/server/usage/history-range";
import { readHostHistory } from "@/lib/server/usage/read-host-history";

export const dynamic = "force-dynamic";

/** The history, or `{ error }` with the status. */
export async function GET(req: Request, ctx: { params: Promise<{ hostId: string }> }): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  const { hostId } = await ctx.params;
  try {
    const actor = await currentActor();
    const q = historyQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!q.success) throw new AppError("BAD_REQUEST", `${q.error.issues[0]?.path.join(".")}: ${q.error.issues[0]?.message}`);
    return Response.json(await load(readHostHistory, actor, hostId, spanOf(q.data)), { headers });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message, code: error.code }, { status: error.status, headers });
    console.error("host usage history failed", error);
    return Response.json({ error: "Something went wrong on the server." }, { status: 500, headers });
  }
}
