/** The frame of every signed-in page: side navigation for the role, user box, content. */
import type { ReactNode } from "react";
import { navFor } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/server/auth/current-user";
import { NotificationsLink } from "@/components/notifications/notifications-link";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

const roleLabel = { ADMIN: "Administrator", RESELLER: "Reseller", CUSTOMER: "Customer", SUPPORT: "Support" } as const;

/** App shell. */
export function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
        Skip to content
      </a>
      <nav aria-label="Main" className="flex w-60 shrink-0 flex-col bg-slate-900 px-3 py-4">
        <div className="mb-6 flex items-center gap-2 px-3">
          <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-indigo-600 font-mono text-sm font-bold text-white">vs</span>
          <span className="font-semibold text-white">VServer Panel</span>
        </div>
        <NavLinks items={navFor[user.role]} />
        <div className="mt-auto">
          <NotificationsLink userId={user.id} />
        </div>
        <div className="border-t border-slate-800 px-3 pt-4">
          <p className="truncate text-sm text-white" data-testid="user-email">
            {user.email}
          </p>
          <p className="text-xs text-slate-400" data-testid="user-role">
            {roleLabel[user.role]}
          </p>
          <div className="mt-2">
            <SignOutButton />
          </div>
        </div>
      </nav>
      <main id="content" className="min-w-0 flex-1 px-8 py-8">
        {children}
      </main>
    </div>
  );
}
