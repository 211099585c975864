/**
 * Sends signed-out visitors of panel pages to /login?next=… before any page code runs.
 * This is convenience, not the security boundary: every page and action checks the
 * session and ownership itself (lib/server/auth).
 */
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { panelSecret } from "@/lib/env";

/** Redirects requests without a valid session token. */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const token = await getToken({ req: request, secret: panelSecret() });
  if (token?.uid && !token.revoked) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("next", request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

export const config = {
  // Everything except the signed-out pages (login, password links), next-auth, the public
  // API, assets and socket.io.
  matcher: ["/((?!login|forgot-password|reset-password/|api/|_next/|socket\\.io|favicon\\.ico|robots\\.txt).+)"],
};
