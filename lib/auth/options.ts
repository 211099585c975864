/**
 * next-auth configuration: a credentials provider (`email`, `password` and, for users
 * with two-factor login, `code`), JWT sessions that carry the role, and revocation:
 * every request re-checks the token against the database (lib/auth/session-state), so a
 * password change, a suspension or "sign out everywhere" ends existing sessions at
 * their next request, and a session older than its lifetime ends however active.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { authorizeCredentials } from "./authorize-credentials";
import { clientIpFrom } from "./client-ip";
import { redirectOnRequestOrigin } from "./redirect-callback";
import { jwtCallback, sessionCallback } from "./session-callbacks";

/** How long a session lives without activity. */
export const sessionMaxAgeSeconds = 12 * 60 * 60;

/**
 * The options object shared by the route handler and server-side session reads. The
 * route handler passes the origin the request came to, so redirects stay on the name
 * the person used (lib/auth/redirect-callback); without one they go to NEXTAUTH_URL.
 */
export function authOptions(requestOrigin: string | null = null): NextAuthOptions {
  return {
    secret: panelSecret(),
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          code: { label: "Authentication code", type: "text" },
        },
        async authorize(credentials, req) {
          const result = await authorizeCredentials(db(), credentials, clientIpFrom(req?.headers));
          if (!result.ok) throw new Error(result.reason);
          return result.user;
        },
      }),
    ],
    // next-auth's callbackUrl is input too: it stays on the panel, at the name the person used.
    callbacks: { jwt: jwtCallback, session: sessionCallback, redirect: redirectOnRequestOrigin(requestOrigin) },
  };
}
