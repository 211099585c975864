/**
 * Setup shared by the business-flow browser tests, through the panel's own domain
 * functions on the stack's database (the panel's job runner builds the servers on the
 * stack's agent), and the host-side tools the tests use behind the panel's back: the
 * CLI with the stack's VSERVER_* directories, the agent's API, a kill of the supervised
 * agent (the stack starts a new one), and a ping from the host.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import { createDb, type Db } from "@/lib/db/client";
import { databaseTarget } from "@/lib/db/url";
import { cliActor, type Actor } from "@/lib/server/actor";
import { binPath } from "@/agent/src/ops/testing/temp-host";
import { createUser } from "../testing/users";
import { waitForJob } from "../console/console-fixture";

/** What a flow test works with. */
export interface FlowFixture {
  db: Db;
  agent(): AgentClient;
  admin: Actor;
  hostId: string;
  password: string;
}

/** Opens the stack's database and agent as the admin. */
export async function flowFixture(): Promise<FlowFixture> {
  // Provisioning seals secrets with the stack's panel secret.
  process.env.NEXTAUTH_SECRET = process.env.E2E_NEXTAUTH_SECRET;
  const db = createDb(databaseTarget(process.env.E2E_DATABASE_URL));
  const admin = cliActor((await db.user.findUniqueOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL! } })).id);
  const host = await db.host.findFirstOrThrow({ where: { isLocal: true } });
  return {
    db,
    agent: () => createAgentClient({ endpoint: process.env.E2E_AGENT_ENDPOINT!, credential: process.env.E2E_AGENT_CREDENTIAL! }),
    admin,
    hostId: host.id,
    password: "flow-e2e-password-1",
  };
}

/** Makes a user of `role` (a customer of `resellerEmail` when given); returns its email and id. */
export async function makeUser(f: FlowFixture, role: "RESELLER" | "CUSTOMER", resellerEmail?: string): Promise<{ email: string; id: string }> {
  const email = await createUser(role, f.password, resellerEmail);
  return { email, id: (await f.db.user.findUniqueOrThrow({ where: { email } })).id };
}

export { waitForJob };

const cliEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  VSERVER_CONFDIR: process.env.E2E_VSERVER_CONFDIR,
  VSERVER_ROOTDIR: process.env.E2E_VSERVER_ROOTDIR,
  VSERVER_RUNDIR: process.env.E2E_VSERVER_RUNDIR,
  VSERVER_CGROUP_PARENT: process.env.E2E_VSERVER_CGROUP_PARENT,
});

/** Runs util-vserver's `vserver` on the stack's host, behind the panel's back. */
export function vserverCli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(binPath("vserver"), args, { env: cliEnv(), encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Kills the stack's agent with SIGKILL and waits for the supervisor's new one to answer. */
export async function killAgent(f: FlowFixture): Promise<void> {
  const pidFile = process.env.E2E_AGENT_PID_FILE!;
  const old = Number(fs.readFileSync(pidFile, "utf8"));
  process.kill(old, "SIGKILL");
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const now = Number(fs.readFileSync(pidFile, "utf8"));
    if (now !== old) {
      try {
        await f.agent().health({}, { timeoutMs: 2000 });
        return;
      } catch {
        /* not answering yet */
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the supervised agent did not come back");
}

/** Whether the host reaches `address` (a server's routed address) with a ping. */
export function hostReaches(address: string): boolean {
  try {
    return execFileSync("ping", ["-n", "-c", "1", "-W", "2", address], { encoding: "utf8" }).includes("1 received");
  } catch {
    return false;
  }
}
