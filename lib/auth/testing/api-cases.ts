/**
 * Every REST operation of lib/api/v1/registry with the request that exercises it for a
 * tenant (path ids and a valid body) and whether it targets a tenant's object. Callers
 * are API tokens of admins and resellers only: a customer's or support user's token,
 * no token, or a session cookie instead of a token is a 401 on every operation.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import type { Tenant } from "./tenants";
import { migratableServer } from "./migratable-server";
import { freeBackupSlots, localTarget, okBackup } from "./backup-fixtures";
import { pointAtFakePowerDns } from "@/lib/server/dns/testing/fake-powerdns";

/** One REST case. */
export interface ApiCase {
  operationId: string;
  /** Acts on one tenant's object (a foreign tenant's caller gets 404); otherwise a list or a create. */
  targeted: boolean;
  /** Admins only: every reseller's token is refused with 403, on any tenant's object. */
  adminOnly?: boolean;
  /** Path below /api/v1 for the tenant, and the JSON body (if any); may create fresh objects. */
  request(db: Db, t: Tenant, as: "admin" | "reseller"): Promise<{ path: string; body?: unknown }>;
}

const uid = () => crypto.randomBytes(4).toString("hex");

/** A fresh customer of the tenant (targets of destructive customer operations). */
async function fresh(db: Db, t: Tenant): Promise<string> {
  return (await db.user.create({ data: { email: `api-${uid()}@authz.test`, role: "CUSTOMER", passwordHash: "x", resellerId: t.resellerId } })).id;
}

const power = (action: string): ApiCase => ({
  operationId: `${action}Server`,
  targeted: true,
  request: async (_db, t) => ({ path: action === "terminate" ? `/servers/${t.serverId}` : `/servers/${t.serverId}/${action}`, body: {} }),
});

/** The table (one entry per operationId). */
export const apiCases: ApiCase[] = [
  { operationId: "listPlans", targeted: false, request: async () => ({ path: "/plans" }) },
  {
    operationId: "createPlan",
    targeted: false,
    request: async () => ({ path: "/plans", body: { name: `Api ${uid()}`, cpuMilli: 100, cpuMilliMax: 200, memoryMb: 64, memoryMbMax: 128, diskMb: 64, diskMbMax: 128, pids: 32, pidsMax: 64 } }),
  },
  { operationId: "getJob", targeted: true, request: async (_db, t) => ({ path: `/jobs/${t.jobId}` }) },
  { operationId: "listCustomers", targeted: false, request: async () => ({ path: "/customers" }) },
  {
    operationId: "createCustomer",
    targeted: false,
    request: async (_db, t, as) => ({ path: "/customers", body: { email: `made-${uid()}@authz.test`, ...(as === "admin" ? { resellerId: t.resellerId } : {}) } }),
  },
  { operationId: "getCustomer", targeted: true, request: async (_db, t) => ({ path: `/customers/${t.customerId}` }) },
  { operationId: "updateCustomer", targeted: true, request: async (db, t) => ({ path: `/customers/${await fresh(db, t)}`, body: { name: "Renamed" } }) },
  { operationId: "suspendCustomer", targeted: true, request: async (db, t) => ({ path: `/customers/${await fresh(db, t)}/suspend` }) },
  { operationId: "unsuspendCustomer", targeted: true, request: async (db, t) => ({ path: `/customers/${await fresh(db, t)}/unsuspend` }) },
  { operationId: "deleteCustomer", targeted: true, request: async (db, t) => ({ path: `/customers/${await fresh(db, t)}` }) },
  { operationId: "listServers", targeted: false, request: async () => ({ path: "/servers" }) },
  {
    operationId: "createServer",
    targeted: true,
    request: async (_db, t) => ({ path: "/servers", body: { customerId: t.customerId, planId: t.planId, hostname: `api-${uid()}.authz.test` } }),
  },
  { operationId: "getServer", targeted: true, request: async (_db, t) => ({ path: `/servers/${t.serverId}` }) },
  { operationId: "getServerTraffic", targeted: true, request: async (_db, t) => ({ path: `/servers/${t.serverId}/traffic` }) },
  power("start"),
  power("stop"),
  power("restart"),
  power("suspend"),
  power("unsuspend"),
  power("terminate"),
  {
    operationId: "migrateServer",
    targeted: true,
    adminOnly: true,
    request: async (db, t) => {
      const m = await migratableServer(db, t);
      return { path: `/servers/${m.serverId}/migrate`, body: { targetHostId: m.targetHostId } };
    },
  },
  {
    operationId: "powerServerWhenHostBack",
    targeted: true,
    request: async (db, t) => {
      // A server of the tenant on a host of its own that is offline.
      const m = await migratableServer(db, t);
      const { hostId } = await db.vServer.findUniqueOrThrow({ where: { id: m.serverId } });
      await db.host.update({ where: { id: hostId }, data: { status: "OFFLINE" } });
      return { path: `/servers/${m.serverId}/when-host-back`, body: { action: "stop" } };
    },
  },
  {
    operationId: "updateHost",
    targeted: false,
    adminOnly: true,
    request: async (db, t) => {
      const { hostId } = await db.vServer.findUniqueOrThrow({ where: { id: t.serverId } });
      return { path: `/hosts/${hostId}`, body: { draining: false } };
    },
  },
  {
    operationId: "evacuateHost",
    targeted: false,
    adminOnly: true,
    request: async (db, t) => {
      const m = await migratableServer(db, t);
      const { hostId } = await db.vServer.findUniqueOrThrow({ where: { id: m.serverId } });
      return { path: `/hosts/${hostId}/evacuate`, body: { parallel: 1 } };
    },
  },
  {
    operationId: "reinstallServer",
    targeted: true,
    request: async (db, t) => {
      // One maintenance job at a time per server: the previous case's queued one goes first.
      await db.job.deleteMany({ where: { vserverId: t.serverId, state: "QUEUED" } });
      return { path: `/servers/${t.serverId}/reinstall`, body: { method: "busybox" } };
    },
  },
  {
    operationId: "startServerRescue",
    targeted: true,
    request: async (db, t) => {
      await db.job.deleteMany({ where: { vserverId: t.serverId, state: "QUEUED" } });
      await db.vServer.update({ where: { id: t.serverId }, data: { rescueUntil: null } });
      return { path: `/servers/${t.serverId}/rescue`, body: {} };
    },
  },
  {
    operationId: "endServerRescue",
    targeted: true,
    request: async (db, t) => {
      await db.job.deleteMany({ where: { vserverId: t.serverId, state: "QUEUED" } });
      await db.vServer.update({ where: { id: t.serverId }, data: { rescueUntil: new Date(Date.now() + 3_600_000) } });
      return { path: `/servers/${t.serverId}/rescue`, body: {} };
    },
  },
  { operationId: "changeServerPlan", targeted: true, request: async (_db, t) => ({ path: `/servers/${t.serverId}/change-plan`, body: { planId: t.planId } }) },
  { operationId: "previewServerPlanChange", targeted: true, request: async (_db, t) => ({ path: `/servers/${t.serverId}/plan-change?planId=${t.planId}` }) },
  {
    operationId: "requestServerPlanChange",
    targeted: true,
    request: async (db, t) => {
      await db.planChangeRequest.deleteMany({ where: { vserverId: t.serverId } });
      const house = await db.plan.findFirstOrThrow({ where: { ownerId: null, name: { startsWith: "House " } } });
      return { path: `/servers/${t.serverId}/plan-change-requests`, body: { planId: house.id, note: "api" } };
    },
  },
  { operationId: "listPlanChangeRequests", targeted: false, request: async () => ({ path: "/plan-change-requests" }) },
  {
    operationId: "decidePlanChangeRequest",
    targeted: true,
    request: async (db, t) => {
      await db.planChangeRequest.deleteMany({ where: { vserverId: t.serverId } });
      const row = await db.planChangeRequest.create({ data: { vserverId: t.serverId, toPlanId: t.planId, requestedById: t.customerId } });
      return { path: `/plan-change-requests/${row.id}/decision`, body: { approve: false, answer: "no" } };
    },
  },
  {
    operationId: "addServerAddress",
    targeted: true,
    request: async (db, t) => {
      await db.ipAddress.deleteMany({ where: { vserverId: t.serverId } });
      return { path: `/servers/${t.serverId}/addresses`, body: { family: "IPV4" } };
    },
  },
  {
    operationId: "removeServerAddress",
    targeted: true,
    request: async (db, t) => {
      await db.ipAddress.deleteMany({ where: { vserverId: t.serverId } });
      const pool = await db.ipPool.findFirstOrThrow({ where: { name: { startsWith: "authz-" }, family: "IPV4" } });
      const address = pool.cidr.replace(/\.0\/24$/, `.${2 + (Number.parseInt(uid(), 16) % 250)}`);
      await db.ipAddress.deleteMany({ where: { address } });
      const row = await db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address, prefix: 32, vserverId: t.serverId } });
      return { path: `/servers/${t.serverId}/addresses/${row.id}` };
    },
  },
  // Reverse DNS (issue 18), against a stand-in of PowerDNS's API (the real one: lib/server/dns/reverse-dns-powerdns.db.test.ts).
  { operationId: "getServerReverseDns", targeted: true, request: async (db, t) => (await pointAtFakePowerDns(db), { path: `/servers/${t.serverId}/reverse-dns` }) },
  {
    operationId: "setServerReverseDns",
    targeted: true,
    request: async (db, t) => {
      await pointAtFakePowerDns(db);
      await db.ipAddress.deleteMany({ where: { vserverId: t.serverId } });
      const pool = await db.ipPool.findFirstOrThrow({ where: { name: { startsWith: "authz-" }, family: "IPV4" } });
      const address = pool.cidr.replace(/\.0\/24$/, `.${2 + (Number.parseInt(uid(), 16) % 250)}`);
      await db.ipAddress.deleteMany({ where: { address } });
      await db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address, prefix: 32, vserverId: t.serverId } });
      return { path: `/servers/${t.serverId}/reverse-dns`, body: { address, name: null } };
    },
  },
  {
    operationId: "linkPoolReverseZones",
    targeted: false,
    adminOnly: true,
    request: async (db) => {
      await pointAtFakePowerDns(db);
      const pool = await db.ipPool.findFirstOrThrow({ where: { name: { startsWith: "authz-" }, family: "IPV4" } });
      return { path: `/ip-pools/${pool.id}/reverse-zones` };
    },
  },
  { operationId: "previewPlanUpdate", targeted: true, request: async (_db, t) => ({ path: `/plans/${t.planId}/update-preview`, body: { archived: false } }) },
  { operationId: "updatePlan", targeted: true, request: async (_db, t) => ({ path: `/plans/${t.planId}`, body: { archived: false } }) },
  // Backups (issue 14): every operation on a server's backups acts for the server's owner's provider.
  { operationId: "listServerBackups", targeted: true, request: async (db, t) => (await okBackup(db, t), { path: `/servers/${t.serverId}/backups` }) },
  {
    operationId: "createServerBackup",
    targeted: true,
    request: async (db, t) => {
      const server = await db.vServer.findUniqueOrThrow({ where: { id: t.serverId } });
      await localTarget(db, server.hostId);
      await freeBackupSlots(db, t);
      return { path: `/servers/${t.serverId}/backups`, body: { note: "api" } };
    },
  },
  { operationId: "restoreServerBackup", targeted: true, request: async (db, t) => ({ path: `/servers/${t.serverId}/backups/${await okBackup(db, t)}/restore` }) },
  {
    operationId: "restoreServerBackupFiles",
    targeted: true,
    request: async (db, t) => ({ path: `/servers/${t.serverId}/backups/${await okBackup(db, t)}/restore-files`, body: { paths: ["/etc/hosts"] } }),
  },
  {
    operationId: "restoreServerBackupAsNew",
    targeted: true,
    request: async (db, t) => ({ path: `/servers/${t.serverId}/backups/${await okBackup(db, t)}/restore-as-new`, body: { hostname: `api-r${uid()}.authz.test`, start: false } }),
  },
  { operationId: "browseServerBackup", targeted: true, request: async (db, t) => ({ path: `/servers/${t.serverId}/backups/${await okBackup(db, t)}/files?path=/etc` }) },
  { operationId: "downloadServerBackup", targeted: true, request: async (db, t) => ({ path: `/servers/${t.serverId}/backups/${await okBackup(db, t)}/download?path=/etc/hosts` }) },
  { operationId: "deleteServerBackup", targeted: true, request: async (db, t) => ({ path: `/servers/${t.serverId}/backups/${await okBackup(db, t)}` }) },
];
