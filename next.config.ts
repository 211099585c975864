/** Next.js configuration of the panel. */
import type { NextConfig } from "next";
import { permissionsPolicy } from "./lib/security/content-security-policy";

const nextConfig: NextConfig = {
  // Native and database packages stay outside the bundle (loaded by Node at run time).
  serverExternalPackages: ["better-sqlite3", "node-pty", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: true }, // `npm test` typechecks the whole repository once
  headers: async () => [
    {
      source: "/:path*",
      headers: [
        { key: "X-Frame-Options", value: "DENY" },
        { key: "X-Content-Type-Options", value: "nosniff" },
        { key: "Referrer-Policy", value: "same-origin" },
        // No page may read the clipboard (a guest's console request never can); the
        // Content-Security-Policy, which needs a nonce per request, comes from proxy.ts.
        { key: "Permissions-Policy", value: permissionsPolicy },
      ],
    },
  ],
};

export default nextConfig;
