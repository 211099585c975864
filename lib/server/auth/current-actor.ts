/** The Actor of a server action or page request: the session user plus its address. */
import "server-only";
import { headers } from "next/headers";
import { clientIpFrom } from "@/lib/auth/client-ip";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { currentUser } from "./current-user";

/** The signed-in actor, or an UNAUTHORIZED AppError. */
export async function currentActor(): Promise<Actor> {
  const user = await currentUser();
  if (!user) throw new AppError("UNAUTHORIZED", "your session has ended; sign in again");
  const h = await headers();
  return { userId: user.id, role: user.role, via: "session", ip: clientIpFrom(h), userAgent: h.get("user-agent") };
}
