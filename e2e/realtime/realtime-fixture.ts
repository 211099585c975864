/**
 * Setup for the live-connection browser tests, through the panel's own domain functions
 * on the stack's database: a plan without addresses and a house customer. Builds are
 * started here and left to the panel's job runner, so a page can watch them live.
 */
import { createDb, type Db } from "@/lib/db/client";
import { databaseTarget } from "@/lib/db/url";
import { cliActor, type Actor } from "@/lib/server/actor";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { createUser } from "../testing/users";

/** What the tests share. */
export interface RealtimeFixture {
  db: Db;
  admin: Actor;
  planId: string;
  hostId: string;
  password: string;
  customer: { email: string; id: string };
}

/** Makes the plan and the customer. */
export async function makeRealtimeFixture(): Promise<RealtimeFixture> {
  // Provisioning seals with the stack's secret.
  process.env.NEXTAUTH_SECRET = process.env.E2E_NEXTAUTH_SECRET;
  const db = createDb(databaseTarget(process.env.E2E_DATABASE_URL));
  const admin = cliActor((await db.user.findUniqueOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL! } })).id);
  const host = await db.host.findFirstOrThrow({ where: { isLocal: true } });
  const password = "realtime-e2e-password-1";
  const email = await createUser("CUSTOMER", password);
  const customer = { email, id: (await db.user.findUniqueOrThrow({ where: { email } })).id };
  const plan = await createPlan(db, admin, { name: `Realtime ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv6Count: 0 });
  return { db, admin, planId: plan.id, hostId: host.id, password, customer };
}

/** Starts building a busybox server for the customer; returns at once (the job runs in the panel). */
export async function startBuild(f: RealtimeFixture, hostname: string): Promise<{ serverId: string; jobId: string }> {
  const made = await createServer(f.db, f.admin, { customerId: f.customer.id, planId: f.planId, hostId: f.hostId, hostname, method: "busybox" });
  return { serverId: made.serverId, jobId: made.jobId };
}
