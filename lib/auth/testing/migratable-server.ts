/**
 * A server of tenant `t` that an admin could move right now (for the authorization
 * matrix of `migrate`): on a fresh https host of its own, with a fresh online target
 * host with room, so the admin's request is queued and every other caller's refused.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Tenant } from "./tenants";

async function host(db: Db, tag: string) {
  return db.host.create({
    data: { name: `authz-move-${tag}`, endpoint: "https://192.0.2.1:7443", credentialHash: "x", credentialCiphertext: "x", tlsCaPem: "-----BEGIN CERTIFICATE-----", status: "ONLINE", cpuCores: 4, memoryMb: 8192, maxServers: 10 },
  });
}

/** Makes the server and the target; returns their ids. */
export async function migratableServer(db: Db, t: Tenant): Promise<{ serverId: string; targetHostId: string }> {
  const tag = crypto.randomBytes(4).toString("hex");
  const [source, target] = [await host(db, `${tag}-a`), await host(db, `${tag}-b`)];
  const server = await db.vServer.create({
    data: { name: `mv${tag}`, hostname: `mv${tag}.authz.test`, contextId: 100, hostId: source.id, ownerId: t.customerId, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
  });
  return { serverId: server.id, targetHostId: target.id };
}
