/** Lists the users an actor may see, paged and searchable (email, name), newest first. */
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { pageInput, skipTake, toPage, type Page } from "@/lib/server/pagination";
import { parseInput } from "@/lib/server/parse-input";
import { roles } from "@/lib/auth/roles";
import { z } from "zod";
import { userSelect, type UserView } from "./user-view";
import { visibleUsersWhere } from "./visible-users-where";

const listUsersInput = pageInput.extend({ role: z.enum(roles).optional(), resellerId: z.string().max(64).optional() });

/** A page of users. */
export async function listUsers(db: Db, actor: Actor, raw: unknown = {}): Promise<Page<UserView & { serverCount: number }>> {
  const input = parseInput(listUsersInput, raw);
  const where: Prisma.UserWhereInput = {
    AND: [
      visibleUsersWhere(actor),
      input.role ? { role: input.role } : {},
      input.resellerId ? { resellerId: input.resellerId } : {},
      input.q ? { OR: [{ email: { contains: input.q.toLowerCase() } }, { name: { contains: input.q } }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, select: { ...userSelect, _count: { select: { vservers: true } } }, orderBy: { createdAt: "desc" }, ...skipTake(input) }),
    db.user.count({ where }),
  ]);
  const items = rows.map(({ _count, ...u }) => ({ ...u, serverCount: _count.vservers }));
  return toPage(items, total, input);
}
