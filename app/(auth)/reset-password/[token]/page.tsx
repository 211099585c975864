/** `/reset-password/[token]`: set a password through a one-time link (a reset or a welcome). */
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { ResetWithLinkForm } from "@/components/auth/password-link-forms";
import { load } from "@/lib/server/load";
import { passwordTokenUsable } from "@/lib/server/passwords/password-links";

export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/** The page; a used, expired or unknown link is a 404, alike (like any id nobody may see). */
export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!(await load(passwordTokenUsable, token))) notFound();
  return (
    <AuthFrame title="Set your password" lead="Choose the password you sign in with.">
      <ResetWithLinkForm token={token} />
      <p className="mt-4 text-center text-xs text-slate-500">
        The link works once. <Link href="/forgot-password" className="text-indigo-600">Ask for a new one</Link> if it stops working.
      </p>
    </AuthFrame>
  );
}
