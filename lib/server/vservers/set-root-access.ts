/**
 * The owner (or its provider) sets the guest's root password and/or authorized SSH keys
 * through the agent's typed operation — no shell strings. The password is not stored.
 */
import { z } from "zod";
import { AgentError } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { parseInput } from "@/lib/server/parse-input";
import { provisionInput } from "./provision/provision-input";
import { getServerOrThrow } from "./get-server-or-throw";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";

const rootAccessInput = z
  .object({
    rootPassword: provisionInput.shape.rootPassword,
    sshKey: provisionInput.shape.sshKey,
  })
  .strict()
  .refine((v) => v.rootPassword || v.sshKey, { message: "give a password or an SSH key", path: ["rootPassword"] });

/** Applies the new root access. */
export async function setRootAccess(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<void> {
  const input = parseInput(rootAccessInput, raw);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  if (["BUILDING", "DELETING"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  const host = await db.host.findUniqueOrThrow({ where: { id: server.host.id } });
  requireHostOnline(host);
  try {
    await agentForHost(host, 15_000).setRootAccess({ name: server.name, rootPassword: input.rootPassword, sshKeys: input.sshKey ? [input.sshKey] : undefined });
  } catch (error) {
    if (error instanceof AgentError && error.code === "BAD_REQUEST") throw new AppError("BAD_REQUEST", error.message, error.field?.includes("ssh") ? "sshKey" : "rootPassword");
    throw new AppError("AGENT_FAILED", `the host did not apply it: ${(error as Error).message}`);
  }
  await audit(db, actor, "vserver.set-root-access", { type: "vserver", id: server.id }, { password: Boolean(input.rootPassword), sshKey: Boolean(input.sshKey) });
}
