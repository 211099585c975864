/** The role rule of the admin-owned inventory (hosts, IP pools): admins change it, support reads it. */
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";

/** Passes admins, and support when only reading; anyone else gets a 404 that reveals nothing. */
export function requireAdmin(actor: Actor, write: boolean): void {
  if (actor.role === "ADMIN" || (!write && actor.role === "SUPPORT")) return;
  throw notFound();
}
