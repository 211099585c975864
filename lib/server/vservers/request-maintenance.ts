/**
 * Requests for slow work on a server after its build (reinstall, package updates,
 * export as template) and on a host (unify). Each checks who may ask and queues a job.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { panelSecret } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { seal } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { createJob } from "@/lib/server/jobs/create-job";
import { parseInput } from "@/lib/server/parse-input";
import { methodArgsFor } from "./provision/build-method-args";
import { jobSecretPurpose } from "./provision/create-server";
import { provisionInput } from "./provision/provision-input";
import { getServerOrThrow } from "./get-server-or-throw";
import { requireHostOnline } from "@/lib/server/hosts/host-offline";
import { chosenSshKeys, sshKeyIdsInput } from "@/lib/server/ssh-keys/chosen-ssh-keys";

/** Input of a reinstall (the server page's form and the REST API). */
export const reinstallInput = z
  .object({ method: provisionInput.shape.method, distribution: provisionInput.shape.distribution, rootPassword: provisionInput.shape.rootPassword, sshKeyIds: sshKeyIdsInput })
  .strict();

async function busyCheck(db: Db, serverId: string): Promise<void> {
  const pending = await db.job.count({ where: { vserverId: serverId, state: { in: ["QUEUED", "RUNNING"] } } });
  if (pending > 0) throw new AppError("CONFLICT", "another job of this server is still running");
}

/** Reinstall: owner or provider; not while suspended. The old root stays until the new one runs. */
export async function requestReinstall(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<{ jobId: string }> {
  const input = parseInput(reinstallInput, raw);
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  if (server.suspended) throw new AppError("CONFLICT", "the server is suspended");
  // The rescue system runs from the old root's mount: end the rescue first.
  if (server.rescueUntil) throw new AppError("CONFLICT", "the server is in rescue mode: end it first");
  if (!["RUNNING", "STOPPED"].includes(server.state)) throw new AppError("CONFLICT", `the server is ${server.state.toLowerCase()}`);
  await busyCheck(db, serverId);
  const sshKeys = await chosenSshKeys(db, actor, input.sshKeyIds);
  const methodArgs = methodArgsFor(input.method, input.distribution);
  if (input.method === "template" && !(await db.osTemplate.findFirst({ where: { hostId: server.host.id, name: input.distribution } }))) {
    throw new AppError("BAD_REQUEST", "this server's host has no such template", "distribution");
  }
  requireHostOnline(server.host);
  const jobId = await createJob(db, {
    type: "server.reinstall",
    vserverId: serverId,
    hostId: server.host.id,
    createdById: actor.userId,
    payload: { method: input.method, methodArgs, distribution: input.distribution, sealedRootPassword: input.rootPassword ? seal(panelSecret(), jobSecretPurpose, input.rootPassword) : undefined, sshKeys },
  });
  await audit(db, actor, "vserver.reinstall", { type: "vserver", id: serverId }, { method: input.method, distribution: input.distribution, sshKeys: sshKeys.length, jobId });
  return { jobId };
}

/** Package updates inside a running server (its own package manager). */
export async function requestPackageUpdate(db: Db, actor: Actor, serverId: string): Promise<{ jobId: string }> {
  if (actor.role === "SUPPORT") throw new AppError("FORBIDDEN", "support staff cannot change servers");
  const server = await getServerOrThrow(db, actor, serverId);
  if (server.state !== "RUNNING") throw new AppError("CONFLICT", "start the server first");
  await busyCheck(db, serverId);
  requireHostOnline(server.host);
  const jobId = await createJob(db, { type: "server.update-packages", vserverId: serverId, hostId: server.host.id, createdById: actor.userId });
  await audit(db, actor, "vserver.update-packages", { type: "vserver", id: serverId }, { jobId });
  return { jobId };
}

const exportInput = z
  .object({
    template: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "a-z, 0-9, . _ - (up to 64)"),
    description: z.string().trim().max(500).default(""),
  })
  .strict();

/** An admin makes a template of a stopped server. */
export async function requestTemplateExport(db: Db, actor: Actor, serverId: string, raw: unknown): Promise<{ jobId: string }> {
  if (actor.role !== "ADMIN") throw notFound();
  const input = parseInput(exportInput, raw);
  const server = await getServerOrThrow(db, actor, serverId);
  if (server.state !== "STOPPED") throw new AppError("CONFLICT", "stop the server first: templates are made from stopped servers");
  await busyCheck(db, serverId);
  requireHostOnline(server.host);
  const jobId = await createJob(db, { type: "server.export-template", vserverId: serverId, hostId: server.host.id, createdById: actor.userId, payload: input });
  await audit(db, actor, "template.export", { type: "vserver", id: serverId }, { ...input, jobId });
  return { jobId };
}

/** An admin runs vunify on a host. */
export async function requestUnify(db: Db, actor: Actor, hostId: string): Promise<{ jobId: string }> {
  if (actor.role !== "ADMIN") throw notFound();
  const host = await db.host.findUnique({ where: { id: hostId } });
  if (!host) throw notFound("Host not found");
  const running = await db.job.count({ where: { hostId, type: "host.unify", state: { in: ["QUEUED", "RUNNING"] } } });
  if (running) throw new AppError("CONFLICT", "a unification of this host is already running");
  requireHostOnline(host);
  const jobId = await createJob(db, { type: "host.unify", hostId, createdById: actor.userId });
  await audit(db, actor, "host.unify", { type: "host", id: hostId }, { jobId });
  return { jobId };
}
