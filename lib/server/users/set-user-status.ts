/**
 * Suspends or reactivates an account. A suspended user cannot log in, and its
 * sessions end (the session version is raised). Servers are handled by the caller.
 */
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { getUserOrThrow } from "./get-user-or-throw";
import { userSelect, type UserView } from "./user-view";
import { canManageUser } from "./visible-users-where";

/** Sets ACTIVE or SUSPENDED. */
export async function setUserStatus(db: Db, actor: Actor, id: string, status: "ACTIVE" | "SUSPENDED"): Promise<UserView> {
  const target = await getUserOrThrow(db, actor, id);
  if (!canManageUser(actor, target)) throw new AppError("FORBIDDEN", "you may not change this user");
  if (target.id === actor.userId) throw new AppError("BAD_REQUEST", "you cannot suspend yourself");
  const user = await db.user.update({
    where: { id },
    data: { status, ...(status === "SUSPENDED" ? { sessionVersion: { increment: 1 } } : {}) },
    select: userSelect,
  });
  await audit(db, actor, status === "SUSPENDED" ? "user.suspend" : "user.unsuspend", { type: "user", id });
  return user;
}
