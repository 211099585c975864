/** next-auth's endpoints: /api/auth/csrf, /callback/credentials, /session, /signout, … */
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// Options are built per request: the panel secret is read at run time, not at build time.
function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>;
}

export { handler as GET, handler as POST };
