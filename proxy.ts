/**
 * Runs before every page: gives the page its Content-Security-Policy with a fresh nonce
 * (Next reads the nonce from the request's CSP header and puts it on its scripts;
 * lib/security/content-security-policy.ts), and sends signed-out visitors of panel pages
 * to /login?next=… before any page code runs. The redirect is convenience, not the
 * security boundary: every page and action checks the session and ownership itself
 * (lib/server/auth).
 */
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { panelSecret } from "@/lib/env";
import { contentSecurityPolicy, newCspNonce } from "@/lib/security/content-security-policy";

/** Pages anyone may load: the login and password-link pages, and the root (it redirects by itself). */
function isPublic(pathname: string): boolean {
  return (
    pathname === "/" ||
    pathname === "/login" ||
    pathname.startsWith("/login/") ||
    pathname === "/forgot-password" ||
    pathname.startsWith("/reset-password/")
  );
}

/** Adds the CSP, or redirects requests without a valid session token. */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (!isPublic(request.nextUrl.pathname)) {
    const token = await getToken({ req: request, secret: panelSecret() });
    if (!token?.uid || token.revoked) {
      const login = new URL("/login", request.url);
      login.searchParams.set("next", request.nextUrl.pathname);
      return NextResponse.redirect(login);
    }
  }
  const csp = contentSecurityPolicy(newCspNonce(), { dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Every page; not next-auth and the public API (JSON), built assets, or socket.io.
  matcher: ["/((?!api/|_next/static|_next/image|socket\\.io|favicon\\.ico|icon\\.svg|robots\\.txt).*)"],
};
