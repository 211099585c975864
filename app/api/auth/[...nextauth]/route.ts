/** next-auth's endpoints: /api/auth/csrf, /callback/credentials, /session, /signout, … */
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { panelOrigin } from "@/lib/auth/request-origin";

// Options are built per request: the panel secret is read at run time, not at build
// time, and redirects go to the origin this request came to.
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return NextAuth(req as never, ctx as never, authOptions(panelOrigin(req.headers))) as Promise<Response>;
}

export { handler as GET, handler as POST };
