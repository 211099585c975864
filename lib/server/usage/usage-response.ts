/**
 * The answer of the usage routes (a host's and a server's graphs): JSON that no cache
 * keeps, and an expected failure as `{ error, code, field }` with its status, so the graph
 * can say what was wrong; anything else is logged and a plain 500.
 */
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { currentActor } from "@/lib/server/auth/current-actor";

/** `answer(actor, query)` as the response; `what` names the route in the log. */
export async function usageResponse(req: Request, what: string, answer: (actor: Actor, query: Record<string, string>) => Promise<unknown>): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const actor = await currentActor();
    return Response.json(await answer(actor, Object.fromEntries(new URL(req.url).searchParams)), { headers });
  } catch (error) {
    if (error instanceof AppError) return Response.json({ error: error.message, code: error.code, field: error.field }, { status: error.status, headers });
    console.error(`${what} failed`, error);
    return Response.json({ error: "Something went wrong on the server." }, { status: 500, headers });
  }
}
