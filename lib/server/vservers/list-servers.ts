/**
 * The server list, paged and searched on the server (name, hostname, address, owner
 * email) so it stays fast at 10,000 servers; filters by state, host and owner.
 */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/sqlite/client";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { pageInput, skipTake, toPage } from "@/lib/server/pagination";
import { parseInput } from "@/lib/server/parse-input";
import { serverStatusSelect } from "./server-status";
import { visibleServersWhere } from "./visible-servers-where";

const listInput = pageInput.extend({
  state: z.enum(["PENDING", "BUILDING", "STOPPED", "STARTING", "RUNNING", "STOPPING", "ERROR", "DELETING"]).optional(),
  hostId: z.string().max(64).optional(),
  ownerId: z.string().max(64).optional(),
});

/** A page of servers. */
export async function listServers(db: Db, actor: Actor, raw: unknown = {}) {
  const input = parseInput(listInput, raw);
  const q = input.q?.toLowerCase();
  const where: Prisma.VServerWhereInput = {
    AND: [
      visibleServersWhere(actor),
      input.state ? { state: input.state } : {},
      input.hostId ? { hostId: input.hostId } : {},
      input.ownerId ? { ownerId: input.ownerId } : {},
      q
        ? {
            OR: [
              { name: { startsWith: q } },
              { hostname: { contains: q } },
              { owner: { email: { startsWith: q } } },
              { addresses: { some: { address: { startsWith: q } } } },
            ],
          }
        : {},
    ],
  };
  const [items, total] = await Promise.all([
    db.vServer.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      select: {
        id: true,
        name: true,
        hostname: true,
        ...serverStatusSelect,
        contextId: true,
        cpuMilli: true,
        memoryMb: true,
        diskMb: true,
        createdAt: true,
        host: { select: { ...serverStatusSelect.host.select, id: true, name: true } },
        owner: { select: { id: true, email: true } },
        plan: { select: { id: true, name: true } },
        addresses: { select: { id: true, address: true, prefix: true, family: true }, orderBy: { family: "asc" }, take: 3 },
      },
      ...skipTake(input),
    }),
    db.vServer.count({ where }),
  ]);
  return toPage(items, total, input);
}
