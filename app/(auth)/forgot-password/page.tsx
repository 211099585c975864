/** `/forgot-password`: ask for a one-time link to set a new password (signed-in users go home). */
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/auth/auth-frame";
import { RequestResetForm } from "@/components/auth/password-link-forms";
import { homeFor } from "@/lib/auth/roles";
import { currentSession, twoFactorSetupPath } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Forgot your password?" };
export const dynamic = "force-dynamic";

/** The page. */
export default async function ForgotPasswordPage() {
  const session = await currentSession();
  if (session) redirect(session.twoFactor === "ok" ? homeFor[session.user.role] : twoFactorSetupPath);
  return (
    <AuthFrame title="Forgot your password?" lead="We send a link to set a new one to your e-mail address.">
      <RequestResetForm />
      <p className="mt-4 text-center text-sm">
        <Link href="/login" className="text-indigo-600">Back to sign in</Link>
      </p>
    </AuthFrame>
  );
}
