/**
 * `POST /servers/[serverId]/console/ticket`: a console ticket for the signed-in user
 * (lib/server/console/console-ticket), fetched by the console page right before it sends
 * `console.open`. Only same-origin scripts can ask: the request must carry a custom
 * header (a cross-site form cannot set one, and a cross-site fetch with it needs a CORS
 * preflight the panel never allows) and, when the browser sends one, an Origin the
 * panel's live connection accepts.
 */
import { load } from "@/lib/server/load";
import { AppError } from "@/lib/errors";
import { currentActor } from "@/lib/server/auth/current-actor";
import { issueConsoleTicket } from "@/lib/server/console/issue-console-ticket";
import { allowedOrigins } from "@/lib/realtime/allowed-origin";

export const dynamic = "force-dynamic";

/** The header the console page sends with the request. */
const markerHeader = "x-vsp-console";

function sameOrigin(req: Request): boolean {
  if (req.headers.get(markerHeader) !== "1") return false;
  const origin = req.headers.get("origin");
  // The origins the console's socket may come from (lib/realtime/allowed-origin), so a
  // page that may open the socket may also get its ticket.
  return !origin || allowedOrigins(Object.fromEntries(req.headers)).includes(origin);
}

/** Issues a ticket, or answers the reason there is no console as `{ error }` with the status. */
export async function POST(req: Request, ctx: { params: Promise<{ serverId: string }> }): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  if (!sameOrigin(req)) return Response.json({ error: "cross-site request refused" }, { status: 403, headers });
  const { serverId } = await ctx.params;
  try {
    const actor = await currentActor();
    return Response.json(await load(issueConsoleTicket, actor, serverId), { headers });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message, code: error.code }, { status: error.status, headers });
    console.error("console ticket failed", error);
    return Response.json({ error: "Something went wrong on the server." }, { status: 500, headers });
  }
}
