/**
 * The setup of a database test against a fake agent: the migrated database, a fake agent
 * (fake-agent.ts), its host (fake-agent-host.ts) and the two tenants on that host
 * (tenants.ts). Registers the hooks where it is called; the agent is closed and the
 * database disconnected after.
 */
import crypto from "node:crypto";
import { after, before } from "node:test";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { startFakeAgent, type FakeAgent } from "./fake-agent";
import { createFakeAgentHost } from "./fake-agent-host";
import { seedTenants, type Tenants } from "./tenants";

/** What the tests use; set by the time they run (`before`). The host is `fx.hostId`. */
export interface TenantsOnFakeAgent {
  agent: FakeAgent;
  fx: Tenants;
}

/** Registers the before/after hooks; the host is named `hostPrefix-` and a random tag, so runs can share a database. */
export function tenantsOnFakeAgent(hostPrefix: string): TenantsOnFakeAgent {
  let agent: FakeAgent | undefined;
  let fx: Tenants | undefined;
  before(async () => {
    await migrate(databaseTarget());
    agent = await startFakeAgent();
    const hostId = await createFakeAgentHost(db(), agent, `${hostPrefix}-${crypto.randomBytes(3).toString("hex")}`);
    fx = await seedTenants(db(), hostId);
  });
  after(async () => {
    await agent?.close();
    await db().$disconnect();
  });
  const made = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("the fake agent's tenants are made in before()");
    return v;
  };
  return {
    get agent() {
      return made(agent);
    },
    get fx() {
      return made(fx);
    },
  };
}
