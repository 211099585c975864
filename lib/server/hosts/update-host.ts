/** Changes capacity figures or the draining flag (a draining host takes no new servers). */
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";
import { requireAdmin } from "@/lib/server/require-admin";
import { updateInput } from "./host-inputs";

/** Changes capacity figures or the draining flag (a draining host takes no new servers). */
export async function updateHost(db: Db, actor: Actor, id: string, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(updateInput, raw);
  const found = await db.host.findUnique({ where: { id } });
  if (!found) throw notFound("Host not found");
  const host = await db.host.update({ where: { id }, data: input });
  await audit(db, actor, input.draining === undefined ? "host.update" : input.draining ? "host.drain" : "host.undrain", { type: "host", id }, input);
  return host;
}
