/**
 * Two tenants and the house, for authorization tests (database and browser): an admin,
 * a support user, resellers A and B each with a customer, a plan, a server and a job
 * of that customer, API tokens, and a console grant per server. Everything is made
 * straight in the database (servers are rows only: no agent work), named by a tag so
 * several runs can share a database.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { hashPassword } from "@/lib/security/password";
import type { RoleName } from "@/lib/auth/roles";
import type { Actor } from "@/lib/server/actor";

/** The password of every fixture user. */
export const tenantPassword = "authz-password-1";

/** One tenant: a reseller, its customer, and what they own. */
export interface Tenant {
  resellerId: string;
  resellerEmail: string;
  customerId: string;
  customerEmail: string;
  planId: string;
  serverId: string;
  jobId: string;
  tokenId: string;
  /** The reseller's API token. */
  token: string;
  grantId: string;
}

/** The whole fixture. */
export interface Tenants {
  tag: string;
  adminId: string;
  adminEmail: string;
  supportId: string;
  supportEmail: string;
  housePlanId: string;
  poolId: string;
  hostId: string;
  adminToken: string;
  /** Tokens that exist in the database for roles that may not have tokens. */
  customerToken: string;
  supportToken: string;
  a: Tenant;
  b: Tenant;
}

function tokenHash(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

async function token(db: Db, userId: string, name: string): Promise<{ id: string; token: string }> {
  const value = `vsp_${crypto.randomBytes(30).toString("base64url")}`;
  const row = await db.apiToken.create({ data: { userId, name, prefix: value.slice(0, 12), tokenHash: tokenHash(value) } });
  return { id: row.id, token: value };
}

// Within a reseller's default per-server bounds (lib/server/resellers/plan-bounds.ts): nothing unlimited.
const planSpec = {
  cpuMilli: 500, cpuMilliMax: 2000, memoryMb: 256, memoryMbMax: 1024, diskMb: 1024, diskMbMax: 4096, pids: 100, pidsMax: 400, ipv4Count: 0,
  inodes: 100_000, ioReadBps: 50_000_000, ioWriteBps: 50_000_000, ioReadIops: 1000, ioWriteIops: 1000, netRateMbit: 100, trafficGb: 1000,
};

/** Creates the fixture on `hostId`. */
export async function seedTenants(db: Db, hostId: string, tag = crypto.randomBytes(3).toString("hex")): Promise<Tenants> {
  const passwordHash = await hashPassword(tenantPassword);
  const user = (role: RoleName, who: string, resellerId: string | null = null) =>
    db.user.create({ data: { email: `${who}-${tag}@authz.test`, name: `${who} ${tag}`, role, passwordHash, resellerId } });
  const admin = await user("ADMIN", "admin");
  const support = await user("SUPPORT", "support");
  const housePlan = await db.plan.create({ data: { name: `House ${tag}`, ...planSpec } });
  const octet = parseInt(tag.slice(0, 2), 16) % 200;
  const pool = await db.ipPool.create({ data: { name: `authz-${tag}`, family: "IPV4", cidr: `100.64.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId }] } } });
  const contextBase = 20000 + (parseInt(tag.slice(0, 4), 16) % 20000);

  const tenant = async (letter: "a" | "b", ctx: number): Promise<Tenant> => {
    const reseller = await user("RESELLER", `reseller-${letter}`);
    await db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 100, maxCpuMilli: 100_000, maxMemoryMb: 100_000, maxDiskMb: 1_000_000, maxIpv4: 100, maxIpv6: 100 } });
    const customer = await user("CUSTOMER", `customer-${letter}`, reseller.id);
    const plan = await db.plan.create({ data: { name: `Plan ${letter} ${tag}`, ownerId: reseller.id, ...planSpec } });
    const server = await db.vServer.create({
      data: {
        name: `authz-${letter}-${tag}`,
        contextId: ctx,
        hostname: `${letter}-${tag}.authz.test`,
        hostId,
        ownerId: customer.id,
        planId: plan.id,
        state: "RUNNING",
        cpuMilli: 500,
        memoryMb: 256,
        diskMb: 1024,
        pids: 100,
      },
    });
    const job = await db.job.create({ data: { type: "server.start", state: "SUCCEEDED", progress: 100, vserverId: server.id, hostId, createdById: customer.id } });
    const t = await token(db, reseller.id, `billing ${letter}`);
    const grant = await db.consoleGrant.create({ data: { vserverId: server.id, userId: support.id, grantedById: admin.id, expiresAt: new Date(Date.now() + 3600_000) } });
    return {
      resellerId: reseller.id,
      resellerEmail: reseller.email,
      customerId: customer.id,
      customerEmail: customer.email,
      planId: plan.id,
      serverId: server.id,
      jobId: job.id,
      tokenId: t.id,
      token: t.token,
      grantId: grant.id,
    };
  };
  const a = await tenant("a", contextBase);
  const b = await tenant("b", contextBase + 1);
  const customer = await db.user.findUniqueOrThrow({ where: { id: a.customerId } });
  return {
    tag,
    adminId: admin.id,
    adminEmail: admin.email,
    supportId: support.id,
    supportEmail: support.email,
    housePlanId: housePlan.id,
    poolId: pool.id,
    hostId,
    adminToken: (await token(db, admin.id, "admin")).token,
    customerToken: (await token(db, customer.id, "should not work")).token,
    supportToken: (await token(db, support.id, "should not work")).token,
    a,
    b,
  };
}

/** The six session actors of the matrix. */
export type ActorName = "admin" | "support" | "resellerA" | "resellerB" | "customerA" | "customerB";

/** A browser-session actor for one of the fixture's users. */
export function sessionActor(t: Tenants, who: ActorName): Actor {
  const table: Record<ActorName, [string, RoleName]> = {
    admin: [t.adminId, "ADMIN"],
    support: [t.supportId, "SUPPORT"],
    resellerA: [t.a.resellerId, "RESELLER"],
    resellerB: [t.b.resellerId, "RESELLER"],
    customerA: [t.a.customerId, "CUSTOMER"],
    customerB: [t.b.customerId, "CUSTOMER"],
  };
  const [userId, role] = table[who];
  return { userId, role, via: "session", ip: "192.0.2.1", userAgent: "authz-test" };
}
