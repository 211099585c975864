/** The HTML shell of every page. */
import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "VServer Panel", template: "%s · VServer Panel" },
  description: "Virtual root-servers on your own hosts.",
};

/** Root layout. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
