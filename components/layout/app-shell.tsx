/** The frame of every signed-in page: navigation for the role (a menu on phones), user box, theme, content. */
import type { ReactNode } from "react";
import { navFor } from "@/lib/auth/roles";
import type { SessionUser } from "@/lib/server/auth/current-user";
import { currentTheme } from "@/lib/server/users/read-theme";
import { NotificationsLink } from "@/components/notifications/notifications-link";
import { NavLinks } from "./nav-links";
import { ShellNav } from "./shell-nav";
import { SignOutButton } from "./sign-out-button";
import { ThemeToggle } from "./theme-toggle";

const roleLabel = { ADMIN: "Administrator", RESELLER: "Reseller", CUSTOMER: "Customer", SUPPORT: "Support" } as const;

/** App shell. */
export async function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const brand = (
    <span className="flex items-center gap-2">
      <span className="flex h-8 w-8 items-center justify-center rounded-lg bg-indigo-600 font-mono text-sm font-bold text-white" aria-hidden="true">
        vs
      </span>
      <span className="font-semibold text-white">VServer Panel</span>
    </span>
  );
  return (
    <div className="min-h-screen md:flex">
      <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:bg-white focus:p-2 focus:text-slate-900">
        Skip to content
      </a>
      <ShellNav brand={brand}>
        <NavLinks items={navFor[user.role]} />
        <div className="mt-auto pt-4">
          <NotificationsLink userId={user.id} />
        </div>
        <div className="mb-4">
          <ThemeToggle initial={await currentTheme()} />
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
      </ShellNav>
      <main id="content" className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8">
        {children}
      </main>
    </div>
  );
}
