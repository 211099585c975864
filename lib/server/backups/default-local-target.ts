/**
 * A host's default backup target: the host's own default (`local`, a directory on the
 * host) unless the admin made another target the default for it or for all hosts.
 * The local one needs no set-up: the first backup of a host registers it.
 */
import type { Db } from "@/lib/db/client";
import type { AgentClient } from "@/lib/agent-client";
import { AppError } from "@/lib/errors";

/** The target new backups of `hostId` go to, registering the host's local one when there is none. */
export async function defaultTargetFor(db: Db, hostId: string, agent: () => AgentClient) {
  const own = await db.backupTarget.findFirst({ where: { hostId, isDefault: true } });
  if (own) return own;
  const shared = await db.backupTarget.findFirst({ where: { hostId: null, isDefault: true } });
  if (shared) return shared;
  const local = await db.backupTarget.findFirst({ where: { hostId, key: "local" } });
  if (local) return local;
  // Every agent has its local target (its repository where the host's agent keeps it,
  // VSERVER_BACKUP_DIR): the panel adopts it as the host lists it.
  const info = (await agent().listBackupTargets({})).targets.find((t) => t.id === "local");
  if (!info) throw new AppError("AGENT_FAILED", "the server's host lists no local backup target (is its agent older than backups?)");
  return db.backupTarget.upsert({
    where: { hostId_key: { hostId, key: "local" } },
    create: { hostId, key: "local", name: "Local disk", kind: "LOCAL", location: JSON.stringify(info.location), isDefault: true, status: JSON.stringify({ [hostId]: { at: new Date().toISOString(), info } }) },
    update: {},
  });
}
