/** The audit log for admins: newest first, paged, filtered by action, actor or target. */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { pageInput, skipTake, toPage } from "@/lib/server/pagination";
import { parseInput } from "@/lib/server/parse-input";

const listInput = pageInput.extend({
  action: z.string().max(100).optional(),
  actorId: z.string().max(64).optional(),
  targetId: z.string().max(64).optional(),
});

/** A page of audit entries. */
export async function listAudit(db: Db, actor: Actor, raw: unknown = {}) {
  if (actor.role !== "ADMIN") throw notFound();
  const input = parseInput(listInput, raw);
  const where: Prisma.AuditLogWhereInput = {
    AND: [
      input.action ? { action: { startsWith: input.action } } : {},
      input.actorId ? { actorId: input.actorId } : {},
      input.targetId ? { targetId: input.targetId } : {},
      input.q ? { OR: [{ action: { contains: input.q } }, { details: { contains: input.q } }, { ip: { contains: input.q } }] } : {},
    ],
  };
  const [items, total] = await Promise.all([
    db.auditLog.findMany({ where, orderBy: { at: "desc" }, include: { actor: { select: { email: true } } }, ...skipTake(input) }),
    db.auditLog.count({ where }),
  ]);
  return toPage(items, total, input);
}
