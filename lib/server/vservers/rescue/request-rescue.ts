/**
 * Rescue requests: the owner (or its reseller, or an admin) starts or ends a server's
 * rescue; support sees it and changes nothing. A start makes the one-time root password
 * here and returns it once: the job gets it sealed (secret-box, removed from the job when
 * it ends: job-runner.ts) and the host keeps only its hash in the rescue root. The SSH
 * keys are the actor's chosen account keys, or else all keys of the server owner's account.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { seal } from "@/lib/security/secret-box";
import { generatePassword } from "@/lib/security/password";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";
import { parseInput } from "@/lib/server/parse-input";
import { chosenSshKeys, sshKeyIdsInput } from "@/lib/server/ssh-keys/chosen-ssh-keys";
import { jobSecretPurpose } from "../provision/create-server";
import { getServerOrThrow } from "../get-server-or-throw";
import { rescueMinutes } from "./rescue-settings";

/** Input of a rescue start (the server page's form and the REST API). */
export const rescueStartInput = z.object({ sshKeyIds: sshKeyIdsInput.optional() }).strict();

/** What a started rescue request answers: the password, shown once, and the end time. */
export interface RescueStarted {
  jobId: string;
  rootPassword: string;
  until: Date;
}

function mayChange(actor: Actor): void {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
}

async function busyCheck(db: Db, serverId: string): Promise<void> {
  const pending = await db.job.count({ where: { vserverId: serverId, state: { in: ["QUEUED", "RUNNING"] } } });
  if (pending > 0) throw new AppError("CONFLICT", "another job of this server is still running");
}

/** Starts a rescue: records its end time and queues `server.rescue-start`. */
export async function requestRescueStart(db: Db, actor: Actor, serverId: string, raw: unknown = {}): Promise<RescueStarted> {
  const input = parseInput(rescueStartInput, raw ?? {});
  const server = await getServerOrThrow(db, actor, serverId);
  mayChange(actor);
  if (server.suspended) throw new AppError("CONFLICT", "the server is suspended");
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  requireHostOnline(server.host);
  await busyCheck(db, serverId);
  const sshKeys = input.sshKeyIds?.length
    ? await chosenSshKeys(db, actor, input.sshKeyIds)
    : (await db.sshKey.findMany({ where: { userId: server.owner.id }, orderBy: { createdAt: "asc" }, select: { publicKey: true } })).map((k) => k.publicKey);
  const minutes = await rescueMinutes(db);
  const rootPassword = generatePassword();
  const until = new Date(Date.now() + minutes * 60_000);
  const jobId = await db.$transaction(async (tx) => {
    await tx.vServer.update({ where: { id: serverId }, data: { rescueUntil: until, desiredState: "RUNNING", desiredChangedAt: new Date() } });
    return createJob(tx, {
      type: "server.rescue-start",
      vserverId: serverId,
      hostId: server.host.id,
      createdById: actor.userId,
      payload: { minutes, sealedRootPassword: seal(panelSecret(), jobSecretPurpose, rootPassword), sshKeys },
    });
  });
  await audit(db, actor, "vserver.rescue-start", { type: "vserver", id: serverId }, { name: server.name, minutes, sshKeys: sshKeys.length, jobId });
  return { jobId, rootPassword, until };
}

/** Ends a rescue: queues `server.rescue-end` (the server boots from its own root). */
export async function requestRescueEnd(db: Db, actor: Actor, serverId: string): Promise<{ jobId: string }> {
  const server = await getServerOrThrow(db, actor, serverId);
  mayChange(actor);
  if (!server.rescueUntil) throw new AppError("CONFLICT", "the server is not in rescue mode");
  requireHostOnline(server.host);
  await busyCheck(db, serverId);
  const jobId = await createJob(db, { type: "server.rescue-end", vserverId: serverId, hostId: server.host.id, createdById: actor.userId, payload: {} });
  await audit(db, actor, "vserver.rescue-end", { type: "vserver", id: serverId }, { name: server.name, jobId });
  return { jobId };
}
