/** Lists plans, paged. */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { pageInput, skipTake, toPage } from "@/lib/server/pagination";
import { visiblePlansWhere } from "./visible-plans-where";
import { parseInput } from "@/lib/server/parse-input";

/** Lists plans, paged. */
export async function listPlans(db: Db, actor: Actor, raw: unknown = {}) {
  const input = parseInput(pageInput.extend({ includeArchived: z.union([z.boolean(), z.enum(["0", "1"]).transform((v) => v === "1")]).default(false) }), raw);
  const where: Prisma.PlanWhereInput = {
    AND: [visiblePlansWhere(actor), input.includeArchived ? {} : { archived: false }, input.q ? { name: { contains: input.q } } : {}],
  };
  const [items, total] = await Promise.all([
    db.plan.findMany({ where, orderBy: [{ ownerId: "asc" }, { priceCents: "asc" }, { name: "asc" }], include: { _count: { select: { vservers: true } } }, ...skipTake(input) }),
    db.plan.count({ where }),
  ]);
  return toPage(items, total, input);
}
