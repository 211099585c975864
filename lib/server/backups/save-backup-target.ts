/**
 * An admin adds an SFTP backup target for one host or for all hosts (issue 14). The
 * panel picks its id; each host it is for is told with putBackupTarget, which makes the
 * repository (and its sealed password) or refuses with the reason (unreachable, the
 * host's key not authorized there, …) — then nothing is kept. The SFTP server is
 * untrusted input: the agent pins its host key and bounds what it does there.
 */
import crypto from "node:crypto";
import path from "node:path";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { AgentError } from "@/lib/agent-client";
import { AppError, notFound } from "@/lib/errors";
import { backupLocation } from "@/lib/protocol/backups";
import { audit } from "@/lib/server/audit/audit";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { parseInput } from "@/lib/server/parse-input";
import { recordTargetStatus } from "./target-status";

const sftp = backupLocation.options[1];

const input = z
  .object({
    name: z.string().trim().min(1, "is required").max(80),
    /** One host's id, or empty for all hosts. */
    hostId: z.string().max(64).default(""),
    host: sftp.shape.host,
    port: z.number().int().min(1).max(65535).default(22),
    user: sftp.shape.user,
    path: sftp.shape.path,
    hostKey: z.string().trim().max(16384).optional(),
    isDefault: z.boolean().default(false),
  })
  .strict();

/** Creates the target on its host(s); returns its id. */
export async function saveBackupTarget(db: Db, actor: Actor, raw: unknown): Promise<{ targetId: string }> {
  if (actor.role !== "ADMIN") throw notFound();
  const v = parseInput(input, raw);
  const hosts = v.hostId ? await db.host.findMany({ where: { id: v.hostId } }) : await db.host.findMany();
  if (v.hostId && hosts.length === 0) throw new AppError("NOT_FOUND", "Host not found", "hostId");
  const location = { kind: "sftp" as const, host: v.host, port: v.port, user: v.user, path: v.path, ...(v.hostKey ? { hostKey: v.hostKey } : {}) };
  const key = `sftp-${crypto.randomBytes(4).toString("hex")}`;
  const row = await db.backupTarget.create({ data: { key, name: v.name, kind: "SFTP", hostId: v.hostId || null, location: JSON.stringify(location), isDefault: false } });
  const told: typeof hosts = [];
  try {
    for (const host of hosts) {
      // A target for every host gives each host a directory of its own below the path:
      // each host seals its own repository password, so two hosts cannot share one repository.
      const hostLocation = v.hostId ? location : { ...location, path: path.posix.join(v.path, host.name) };
      const info = await agentForHost(host, 120_000).putBackupTarget({ id: key, location: hostLocation });
      told.push(host);
      await recordTargetStatus(db, row.id, host.id, info, null);
    }
  } catch (error) {
    // All or nothing: the hosts already told forget it again.
    for (const host of told) await agentForHost(host, 30_000).deleteBackupTarget({ id: key, destroySecret: true }).catch(() => undefined);
    await db.backupTarget.delete({ where: { id: row.id } });
    const host = hosts[told.length];
    const why = error instanceof AgentError ? error.message : (error as Error).message;
    // No field: the reason is the host's, often about the whole location (shown as the form's banner).
    throw new AppError("BAD_REQUEST", `host ${host?.name ?? "?"} cannot use this target: ${why}`);
  }
  if (v.isDefault) await makeDefault(db, row.id);
  await audit(db, actor, "backup.target.create", { type: "backupTarget", id: row.id }, { name: v.name, hostId: v.hostId || null, host: v.host, port: v.port, user: v.user, path: v.path });
  return { targetId: row.id };
}

/** New backups of the target's host(s) go to it; the other defaults of the same scope step back. */
export async function makeDefault(db: Db, targetId: string): Promise<void> {
  const t = await db.backupTarget.findUniqueOrThrow({ where: { id: targetId } });
  await db.backupTarget.updateMany({ where: { hostId: t.hostId, isDefault: true, id: { not: t.id } }, data: { isDefault: false } });
  await db.backupTarget.update({ where: { id: t.id }, data: { isDefault: true } });
}
