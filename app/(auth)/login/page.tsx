/** `/login`: the sign-in page (signed-in users go to their home). */
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { homeFor } from "@/lib/auth/roles";
import { safeRedirectPath } from "@/lib/security/safe-redirect";
import { currentSession, twoFactorSetupPath } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Sign in" };

// Reads the session: rendered per request, never at build time.
export const dynamic = "force-dynamic";

const notices: Record<string, string> = {
  "password-changed": "Your password was changed and every session ended. Sign in with the new password.",
  "signed-out-everywhere": "Every session of your account has ended.",
};

/** Login page. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; reason?: string }> }) {
  const session = await currentSession();
  if (session) redirect(session.twoFactor === "ok" ? homeFor[session.user.role] : twoFactorSetupPath);
  const { next, reason } = await searchParams;
  const notice = reason ? notices[reason] : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto flex h-12 w-12 items-center justify-center rounded-xl bg-indigo-600 font-mono text-lg font-bold text-white">vs</div>
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Sign in to VServer Panel</h1>
          <p className="mt-1 text-sm text-slate-500">Virtual root-servers on your own hosts.</p>
        </div>
        {notice ? (
          <p role="status" data-testid="login-notice" className="mb-4 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
            {notice}
          </p>
        ) : null}
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
          <LoginForm next={safeRedirectPath(next)} />
        </div>
        <p className="mt-4 text-center text-sm">
          <Link href="/forgot-password" className="text-indigo-600">Forgot your password?</Link>
        </p>
      </div>
    </main>
  );
}
