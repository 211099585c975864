/** `GET /hosts/[hostId]/usage?range=day`: a host's usage history (admins and support). */
import { load } from "@/lib/server/load";
import { spanOfQuery } from "@/lib/server/usage/history-range";
import { readHostHistory } from "@/lib/server/usage/read-host-history";
import { usageResponse } from "@/lib/server/usage/usage-response";

export const dynamic = "force-dynamic";

/** The history, or `{ error }` with the status. */
export async function GET(req: Request, ctx: { params: Promise<{ hostId: string }> }): Promise<Response> {
  const { hostId } = await ctx.params;
  return usageResponse(req, "host usage history", (actor, query) => load(readHostHistory, actor, hostId, spanOfQuery(query)));
}
