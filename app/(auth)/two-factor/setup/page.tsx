/**
 * `/two-factor/setup`: where a user is held after the password when an admin requires
 * two-factor login and it is not set up yet. Nothing else in the panel answers such a
 * session (pages come back here, actions refuse) until the app is confirmed with a code.
 */
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { TwoFactorEnroll } from "@/components/account/two-factor-enroll";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { homeFor } from "@/lib/auth/roles";
import { currentSession } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Set up two-factor login" };
export const dynamic = "force-dynamic";

/** Forced enrollment page. */
export default async function TwoFactorSetupPage() {
  const session = await currentSession();
  if (!session) redirect("/login");
  if (session.twoFactor === "ok") redirect(homeFor[session.user.role]);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-lg">
        <div className="mb-6 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">Set up two-factor login</h1>
          <p className="mt-1 text-sm text-slate-500">
            Your administrator requires a second factor for {session.user.email}. Set it up to continue.
          </p>
        </div>
        <div className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800" data-testid="two-factor-setup">
          <TwoFactorEnroll doneHref={homeFor[session.user.role]} />
        </div>
        <div className="mt-4 flex justify-center rounded-md bg-slate-900 py-1">
          <SignOutButton />
        </div>
      </div>
    </main>
  );
}
