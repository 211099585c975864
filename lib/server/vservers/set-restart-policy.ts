/**
 * What the host does when a server's init ends on its own (a crash, an OOM kill of its
 * init, an exit): "on-failure" restarts it with back-off (1 s to 5 min, issue 13), "never"
 * leaves it stopped. The owner, its reseller and admins decide; support reads it. The
 * decision is the panel's record (desired state): written first, applied on the host at
 * once when it answers, else by the reconciler when it does again.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { restartPolicy } from "@/lib/protocol/vservers";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { isKnownOffline } from "@/lib/server/hosts/host-offline";
import { parseInput } from "@/lib/server/parse-input";
import { getServerOrThrow } from "./get-server-or-throw";

const restartPolicyInput = z.object({ policy: restartPolicy }).strict();

/** Records the policy and applies it on the host; `applied` false: the host takes it when it answers again. */
export async function setServerRestartPolicy(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<{ policy: z.infer<typeof restartPolicy>; applied: boolean }> {
  const { policy } = parseInput(restartPolicyInput, raw);
  const server = await getServerOrThrow(db, actor, serverId);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  if (["PENDING", "BUILDING", "DELETING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}; try again when it is built`);
  await db.vServer.update({ where: { id: server.id }, data: { restartPolicy: policy } });
  await audit(db, actor, "vserver.restart-policy", { type: "vserver", id: server.id }, { policy, from: server.restartPolicy });
  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  if (isKnownOffline(host)) return { policy, applied: false };
  try {
    await agentForHost(host, 15_000).setRestartPolicy({ name: server.name, policy });
    return { policy, applied: true };
  } catch {
    // The record holds: the reconciler puts it on the host at its next pass.
    return { policy, applied: false };
  }
}
