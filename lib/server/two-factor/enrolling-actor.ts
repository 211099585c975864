/**
 * The actor of a two-factor enrollment request: any valid session, also one held at
 * enrollment (which {@link currentActor} refuses), since enrolling is the one thing such
 * a session may do.
 */
import "server-only";
import { headers } from "next/headers";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { currentSession } from "@/lib/server/auth/current-user";

/** The session's actor whether or not it is held at enrollment; UNAUTHORIZED when signed out. */
export async function currentEnrollingActor(): Promise<Actor> {
  const session = await currentSession();
  if (!session) throw new AppError("UNAUTHORIZED", "your session has ended; sign in again");
  const h = await headers();
  return { userId: session.user.id, role: session.user.role, via: "session", ip: clientIpFrom(h), userAgent: h.get("user-agent") };
}
