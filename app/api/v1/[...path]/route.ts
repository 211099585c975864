/** The billing REST API: every method and path is served from lib/api/v1's table. */
import { dispatchApi } from "@/lib/api/v1/dispatch";

type Ctx = { params: Promise<{ path: string[] }> };

async function handle(req: Request, ctx: Ctx): Promise<Response> {
  return dispatchApi(req, (await ctx.params).path);
}

export const dynamic = "force-dynamic";
export { handle as GET, handle as POST, handle as PATCH, handle as DELETE };
