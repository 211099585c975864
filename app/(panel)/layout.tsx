/** Layout of every signed-in page: requires a session, draws the role's navigation. */
import type { ReactNode } from "react";
import { AppShell } from "@/components/layout/app-shell";
import { requireUser } from "@/lib/server/auth/current-user";

/** Panel layout. */
export default async function PanelLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return <AppShell user={user}>{children}</AppShell>;
}
