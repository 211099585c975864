/** The HTML shell of every page. */
import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { currentTheme } from "@/lib/server/users/read-theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "VServer Panel", template: "%s · VServer Panel" },
  description: "Virtual root-servers on your own hosts.",
};

/**
 * Root layout. Every page renders per request: its scripts carry the request's CSP
 * nonce (proxy.ts), which a page prerendered at build time could not.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en" data-theme={await currentTheme()}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
