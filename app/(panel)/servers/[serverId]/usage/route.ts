/**
 * `GET /servers/[serverId]/usage?range=day` (or `from`/`to`): the server's usage history
 * as JSON for its graphs; `?latest=1` the latest sample. Authorized like the server page
 * (404 for a server the user may not see).
 */
import { load } from "@/lib/server/load";
import { spanOfQuery } from "@/lib/server/usage/history-range";
import { readServerHistory, readServerSample } from "@/lib/server/usage/read-server-history";
import { usageResponse } from "@/lib/server/usage/usage-response";

export const dynamic = "force-dynamic";

/** The history or the latest sample, or `{ error }` with the status. */
export async function GET(req: Request, ctx: { params: Promise<{ serverId: string }> }): Promise<Response> {
  const { serverId } = await ctx.params;
  return usageResponse(req, "usage history", async (actor, query) => (query.latest === "1" ? { sample: await load(readServerSample, actor, serverId) } : load(readServerHistory, actor, serverId, spanOfQuery(query))));
}
