/**
 * Enrolls the agent that `npm start` runs beside the panel as the local Host row: its
 * endpoint and its credential (read from the agent's root-only state directory, stored
 * sealed). Re-running updates the row when the credential was rotated; rows and ids stay.
 */
import os from "node:os";
import type { Db } from "@/lib/db/client";
import { hashToken } from "@/lib/security/hash-token";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import { seal } from "@/lib/security/secret-box";

/** Creates or refreshes the local host; returns its id. */
export async function registerLocalHost(db: Db, endpoint: string, token: string): Promise<string> {
  const credentialHash = hashToken(token);
  const existing = await db.host.findFirst({ where: { isLocal: true } });
  if (existing && existing.credentialHash === credentialHash && existing.endpoint === endpoint) return existing.id;
  const data = {
    endpoint,
    credentialHash,
    credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, token),
    cpuCores: os.cpus().length,
    memoryMb: Math.floor(os.totalmem() / 1024 / 1024),
  };
  if (existing) {
    await db.host.update({ where: { id: existing.id }, data });
    return existing.id;
  }
  const name = os.hostname().toLowerCase().replace(/[^a-z0-9.-]/g, "-") || "local";
  const taken = await db.host.findUnique({ where: { name } });
  const host = await db.host.create({ data: { ...data, name: taken ? `${name}-local` : name, isLocal: true, maxServers: 100 } });
  return host.id;
}
