/**
 * next-auth configuration: a credentials provider (`email`, `password`), JWT sessions
 * that carry the role, and revocation: each token carries the user's `sessionVersion`,
 * re-checked against the database at most every minute, so a password change or a
 * suspension ends existing sessions.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { authorizeCredentials, type LoginIdentity } from "./authorize-credentials";
import { clientIpFrom } from "./client-ip";
import { isRole } from "./roles";

const recheckMs = 60_000;
/** How long a session lives without activity. */
export const sessionMaxAgeSeconds = 12 * 60 * 60;

/** The options object shared by the route handler and server-side session reads. */
export function authOptions(): NextAuthOptions {
  return {
    secret: panelSecret(),
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const result = await authorizeCredentials(db(), credentials, clientIpFrom(req?.headers));
          if (!result.ok) throw new Error(result.reason);
          return result.user;
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && "role" in user) {
          const identity = user as unknown as LoginIdentity;
          token.uid = identity.id;
          token.role = identity.role;
          token.sv = identity.sessionVersion;
          token.checkedAt = Date.now();
          return token;
        }
        if (typeof token.uid !== "string") return token;
        if (Date.now() - Number(token.checkedAt ?? 0) > recheckMs) {
          const row = await db().user.findUnique({ where: { id: token.uid }, select: { sessionVersion: true, status: true, role: true } });
          if (!row || row.status !== "ACTIVE" || row.sessionVersion !== token.sv) return { revoked: true };
          token.role = row.role;
          token.checkedAt = Date.now();
        }
        return token;
      },
      async session({ session, token }) {
        if (token.revoked || typeof token.uid !== "string" || !isRole(token.role)) {
          return { expires: session.expires };
        }
        session.user = { id: token.uid, email: token.email ?? "", name: token.name ?? "", role: token.role };
        return session;
      },
    },
  };
}
