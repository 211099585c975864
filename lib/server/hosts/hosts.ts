/**
 * Hosts (admin): enroll an agent by endpoint and credential (the agent must answer
 * before the row exists), list with capacity and what is sold on each, drain, update,
 * replace the credential, remove an empty host.
 */
import { z } from "zod";
import { createAgentClient, AgentError, parseEndpoint } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";
import { hostCapabilitiesOf } from "./host-capabilities";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { hashToken } from "@/lib/security/hash-token";
import { seal } from "@/lib/security/secret-box";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { parseInput } from "@/lib/server/parse-input";

const endpointField = z.string().trim().max(300).superRefine((v, ctx) => {
  try {
    parseEndpoint(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

const capacity = {
  cpuCores: z.number().int().min(0).max(100000).optional(),
  memoryMb: z.number().int().min(0).max(1_000_000_000).optional(),
  diskMb: z.number().int().min(0).max(1_000_000_000).optional(),
  maxServers: z.number().int().min(0).max(1_000_000).optional(),
};

const enrollInput = z
  .object({
    name: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, "must be lower-case letters, digits, dots or dashes"),
    endpoint: endpointField,
    credential: z.string().trim().min(20, "is too short to be an agent credential").max(200),
    /** PEM of the agent's TLS certificate (self-signed) or CA, for https endpoints. */
    tlsCaPem: z
      .string()
      .trim()
      .max(20000)
      .regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/, "must be a PEM certificate")
      .optional(),
    ...capacity,
  })
  .strict();

const updateInput = z.object({ draining: z.boolean().optional(), ...capacity }).strict();

function requireAdmin(actor: Actor, write: boolean): void {
  if (actor.role === "ADMIN" || (!write && actor.role === "SUPPORT")) return;
  throw notFound();
}

async function checkAgent(endpoint: string, credential: string, tlsCaPem?: string | null) {
  try {
    return await createAgentClient({ endpoint, credential, tls: tlsCaPem ? { ca: tlsCaPem } : undefined }).health({}, { timeoutMs: 5000 });
  } catch (e) {
    if (e instanceof AgentError && e.code === "UNAUTHORIZED") throw new AppError("BAD_REQUEST", "the agent refused this credential", "credential");
    throw new AppError("BAD_REQUEST", `the agent did not answer: ${(e as Error).message}`, "endpoint");
  }
}

/** Enrolls a host after its agent answered with the given credential. */
export async function enrollHost(db: Db, actor: Actor, raw: unknown) {
  requireAdmin(actor, true);
  const input = parseInput(enrollInput, raw);
  if (await db.host.findUnique({ where: { name: input.name } })) throw new AppError("CONFLICT", "a host with this name exists", "name");
  if (input.endpoint.startsWith("https:") && !input.tlsCaPem) {
    throw new AppError("BAD_REQUEST", "an https agent needs its certificate (printed by the agent next to its credential)", "tlsCaPem");
  }
  const health = await checkAgent(input.endpoint, input.credential, input.tlsCaPem);
  const host = await db.host.create({
    data: {
      name: input.name,
      endpoint: input.endpoint,
      credentialHash: hashToken(input.credential),
      credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, input.credential),
      tlsCaPem: input.tlsCaPem ?? null,
      status: "ONLINE",
      lastSeenAt: new Date(),
      agentVersion: health.agentVersion,
      kernelVersion: health.kernel,
      cgroupVersion: health.cgroup,
      cpuCores: input.cpuCores ?? health.cpuCores,
      memoryMb: input.memoryMb ?? health.memoryMb,
      diskMb: input.diskMb ?? 0,
      maxServers: input.maxServers ?? 100,
    },
  });
  await audit(db, actor, "host.enroll", { type: "host", id: host.id }, { name: host.name, endpoint: host.endpoint });
  return host;
}

/** Replaces a host's credential (after the agent rotated it); the agent must accept it. */
export async function replaceHostCredential(db: Db, actor: Actor, id: string, credential: unknown) {
  requireAdmin(actor, true);
  const host = await db.host.findUnique({ where: { id } });
  if (!host) throw notFound("Host not found");
  const token = parseInput(enrollInput.shape.credential, credential);
  await checkAgent(host.endpoint, token, host.tlsCaPem);
  await db.host.update({ where: { id }, data: { credentialHash: hashToken(token), credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, token) } });
  await audit(db, actor, "host.replace-credential", { type: "host", id });
}

/** Hosts with what is sold on each (sums of their servers' limits). */
export async function listHosts(db: Db, actor: Actor) {
  requireAdmin(actor, false);
  const [hosts, sums] = await Promise.all([
    db.host.findMany({ orderBy: { name: "asc" } }),
    db.vServer.groupBy({ by: ["hostId"], _count: { _all: true }, _sum: { cpuMilli: true, memoryMb: true, diskMb: true } }),
  ]);
  return hosts.map(({ credentialCiphertext: _c, ...h }) => {
    const s = sums.find((x) => x.hostId === h.id);
    return {
      ...h,
      sold: { servers: s?._count._all ?? 0, cpuMilli: s?._sum.cpuMilli ?? 0, memoryMb: s?._sum.memoryMb ?? 0, diskMb: s?._sum.diskMb ?? 0 },
      /** What the host said it can do (null: it has not said yet). */
      can: hostCapabilitiesOf(h.capabilities),
      /** Servers on the host that the panel does not know (from the last reconciliation). */
      unmanaged: unmanagedOf(h.reconcileReport),
    };
  });
}

function unmanagedOf(report: string): string[] {
  try {
    const v = JSON.parse(report) as { unmanaged?: unknown };
    return Array.isArray(v.unmanaged) ? v.unmanaged.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}

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

/** Removes a host that has no servers left. */
export async function removeHost(db: Db, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor, true);
  const servers = await db.vServer.count({ where: { hostId: id } });
  if (servers > 0) throw new AppError("CONFLICT", `${servers} server(s) still live on this host`);
  const deleted = await db.host.deleteMany({ where: { id } });
  if (deleted.count === 0) throw notFound("Host not found");
  await audit(db, actor, "host.remove", { type: "host", id });
}
