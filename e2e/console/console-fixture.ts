/**
 * Setup for the console browser tests, through the panel's own domain functions on the
 * stack's database (the panel's job runner then builds the server on the stack's
 * agent): a plan without addresses, two house customers, and a running busybox server
 * of the first on the local host. Also the agent's view (vps) and terminal reading.
 */
import type { Locator, Page } from "playwright-core";
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import { createDb, type Db } from "@/lib/db/client";
import { databaseTarget } from "@/lib/db/url";
import { cliActor } from "@/lib/server/actor";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { createUser } from "../testing/users";

/** What the tests share. */
export interface ConsoleFixture {
  db: Db;
  agent: AgentClient;
  password: string;
  alice: { email: string; id: string };
  bob: { email: string; id: string };
  server: { id: string; name: string; hostname: string };
}

/** Waits for a job the panel runs. */
export async function waitForJob(db: Db, jobId: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (job.state === "SUCCEEDED") return;
    if (job.state === "FAILED" || job.state === "CANCELLED") throw new Error(`job ${job.type} ${job.state}: ${job.error}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${jobId} did not finish`);
}

/** Makes the customers and a running server. */
export async function makeConsoleFixture(): Promise<ConsoleFixture> {
  // The tests sign forged tickets with the stack's secret, and provisioning seals with it.
  process.env.NEXTAUTH_SECRET = process.env.E2E_NEXTAUTH_SECRET;
  const db = createDb(databaseTarget(process.env.E2E_DATABASE_URL));
  const agent = createAgentClient({ endpoint: process.env.E2E_AGENT_ENDPOINT!, credential: process.env.E2E_AGENT_CREDENTIAL! });
  const admin = cliActor((await db.user.findUniqueOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL! } })).id);
  const host = await db.host.findFirstOrThrow({ where: { isLocal: true } });
  const password = "console-e2e-password-1";
  const people = await Promise.all([createUser("CUSTOMER", password), createUser("CUSTOMER", password)]);
  const [alice, bob] = await Promise.all(people.map(async (email) => ({ email, id: (await db.user.findUniqueOrThrow({ where: { email } })).id })));
  const plan = await createPlan(db, admin, { name: `Console ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv6Count: 0 });
  const hostname = "console-e2e.example.test";
  const made = await createServer(db, admin, { customerId: alice!.id, planId: plan.id, hostId: host.id, hostname, method: "busybox" });
  await waitForJob(db, made.jobId);
  return { db, agent, password, alice: alice!, bob: bob!, server: { id: made.serverId, name: made.name, hostname } };
}

/** Processes inside the server other than its init, as `vps` on the host sees them. */
export async function guestProcesses(f: ConsoleFixture): Promise<{ pid: number; command: string }[]> {
  const { processes } = await f.agent.listProcesses({ name: f.server.name });
  return processes.filter((p) => p.guestPid !== null && p.guestPid !== 1);
}

/** The text lines a console shows (xterm 6 renders rows into the DOM). */
export async function screenLines(console: Locator): Promise<string[]> {
  return (await console.locator(".xterm-rows > div").allTextContents()).map((l) => l.replace(/\u00a0/g, " ").trimEnd());
}

/** Types a line into a console (clicking it first, so the keys go to its terminal). */
export async function typeLine(page: Page, console: Locator, text: string): Promise<void> {
  await console.locator(".xterm").click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

/** Waits until a console shows a line for which `match` is true; returns that line. */
export async function waitForLine(console: Locator, match: (line: string) => boolean, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lines: string[] = [];
  while (Date.now() < deadline) {
    lines = await screenLines(console);
    const hit = lines.find(match);
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no matching line on the console; it shows:\n${lines.filter(Boolean).join("\n")}`);
}
