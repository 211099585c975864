/**
 * `/password/change`: where a user whose password an admin or reseller set is held until
 * it chooses its own (every panel page comes back here; the change ends the session).
 */
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ChangePasswordForm } from "@/components/account/account-forms";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SignOutButton } from "@/components/layout/sign-out-button";
import { homeFor } from "@/lib/auth/roles";
import { load } from "@/lib/server/load";
import { mustChangePassword } from "@/lib/server/passwords/must-change-password";
import { currentSession, twoFactorSetupPath } from "@/lib/server/auth/current-user";

export const metadata: Metadata = { title: "Choose your password" };
export const dynamic = "force-dynamic";

/** The page. */
export default async function PasswordChangePage() {
  const session = await currentSession();
  if (!session) redirect("/login");
  if (session.twoFactor !== "ok") redirect(twoFactorSetupPath);
  if (!(await load(mustChangePassword, session.user.id))) redirect(homeFor[session.user.role]);
  return (
    <AuthFrame title="Choose your password" lead={`Someone else set the password of ${session.user.email}. Choose your own to continue.`}>
      <ChangePasswordForm />
      <div className="mt-4">
        <SignOutButton />
      </div>
    </AuthFrame>
  );
}
