/**
 * kill -9 of a panel instance in the middle of a job (issue 17; PostgreSQL only:
 * `.pg.spec.ts`). Instances A and B are started here on the stack's database beside the
 * stack's own instance, with a short job lease (JOB_LEASE_MS). While A claims a build,
 * the other two are paused (SIGSTOP), so A is the one that runs it. The server's lock on
 * the host is held here as an admin's `vserver NAME …` would hold it, so the agent has
 * accepted the build (the job records its operation id) but waits: the job is RUNNING
 * under A with its host operation under way when A is killed with SIGKILL. The lock is
 * then given back and the build runs on the host with no panel following it.
 *
 * What must show: another instance (B or the stack's) claims the job once A's lease ran
 * out (a new runner, the second attempt), follows the same host operation instead of
 * starting another, and the job ends SUCCEEDED (never left RUNNING); the panel's row
 * matches what the agent reports, the host holds one server of that name and context;
 * a browser on B watched it all live. Screenshots: e2e/output/job-takeover-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Job } from "@/generated/prisma/sqlite/client";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { freeContextId, nameFromHostname } from "@/lib/server/vservers/provision/server-name";
import { openBrowser, login, type BrowserSession } from "../testing/browser";
import { makeRealtimeFixture, startBuild, type RealtimeFixture } from "./realtime-fixture";
import { gotoAgain, startPanelInstance, stopProcess, type PanelInstance } from "./panel-instances";

/** A's lease: short, so the take-over comes within seconds, long enough that a busy machine does not lose it while A lives. */
const leaseMs = 5000;

let f: RealtimeFixture;
let a: PanelInstance | undefined;
let b: PanelInstance | undefined;
let stackPid = 0;
let lockHolder: ChildProcess | undefined;
let made: { serverId: string; jobId: string } | undefined;
let serverName = "";

/** Pauses or resumes a panel process (SIGSTOP/SIGCONT); one that has ended is left alone. */
function signal(pid: number | undefined, sig: "SIGSTOP" | "SIGCONT"): void {
  if (!pid) return;
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Polls the job until `ok` holds for it; fails with its last state after `timeoutMs`. */
async function jobWhen(jobId: string, what: string, ok: (job: Job) => boolean, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await f.db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (ok(job)) return job;
    if (Date.now() > deadline) throw new Error(`the job never was ${what}: ${JSON.stringify({ state: job.state, runnerId: job.runnerId, attempts: job.attempts, error: job.error })}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Holds the server's lock on the host (RUNDIR/locks/NAME.lock, flock) until its stdin closes; resolves once held. */
async function holdServerLock(name: string): Promise<ChildProcess> {
  const dir = path.join(process.env.E2E_VSERVER_RUNDIR!, "locks");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${name}.lock`);
  const child = spawn("flock", ["--exclusive", file, "cat"], { stdio: ["pipe", "ignore", "inherit"] });
  for (let i = 0; i < 200; i++) {
    // Another taker fails at once (exit 1) while the holder has it.
    if (spawnSync("flock", ["--nonblock", "--exclusive", file, "true"]).status === 1) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  throw new Error(`could not take ${file}`);
}

/** Gives the server's lock back. */
async function releaseServerLock(): Promise<void> {
  const holder = lockHolder;
  lockHolder = undefined;
  if (!holder || holder.exitCode !== null || holder.signalCode !== null) return;
  const gone = new Promise((r) => holder.once("exit", r));
  holder.stdin?.end();
  await gone;
}

before(async () => {
  assert.equal(process.env.E2E_DATABASE_KIND, "postgresql", "several panel instances share PostgreSQL");
  stackPid = Number(process.env.E2E_PANEL_PID);
  assert.ok(stackPid > 0, "the stack names its panel's pid");
  f = await makeRealtimeFixture();
  a = await startPanelInstance({ env: { JOB_LEASE_MS: String(leaseMs) } });
  b = await startPanelInstance({ env: { JOB_LEASE_MS: String(leaseMs) } });
});

/** Removes the server the test built (on the host through the agent, then its row); the build is left to end first. */
async function removeBuiltServer(built: { serverId: string; jobId: string }): Promise<void> {
  // A build holds the server's lock: it is left to end before its server is removed.
  await jobWhen(built.jobId, "ended", (j) => j.state !== "RUNNING" && j.state !== "QUEUED", 120_000);
  // The row goes first: while it says "running", the reconciler would start the server again.
  await f.db.vServer.deleteMany({ where: { id: built.serverId } });
  const host = await f.db.host.findUniqueOrThrow({ where: { id: f.hostId } });
  const agent = agentForHost(host);
  const info = await agent.getVserver({ name: serverName }).catch(() => null);
  if (info?.state === "running") await agent.stopVserver({ name: serverName, timeoutSec: 5 });
  if (info) await agent.deleteVserver({ name: serverName });
}

after(async () => {
  // Whatever failed, nothing stays paused, locked, built or running; each step is tried.
  const steps: [string, () => Promise<unknown>][] = [
    ["resume the paused panels", async () => (signal(stackPid, "SIGCONT"), signal(b?.child.pid, "SIGCONT"), signal(a?.child.pid, "SIGCONT"))],
    ["give back the server's lock", releaseServerLock],
    ["remove the built server", async () => made && (await removeBuiltServer(made))],
    ["stop A", () => stopProcess(a?.child)],
    ["stop B", () => stopProcess(b?.child)],
    ["disconnect", async () => f?.db.$disconnect()],
  ];
  const failed: string[] = [];
  for (const [what, step] of steps) {
    await step().catch((error: unknown) => failed.push(`${what}: ${String(error)}`));
  }
  assert.deepEqual(failed, [], "the clean-up left nothing behind");
});

/** The job's log and its host operations, for a failure's message. */
async function story(jobId: string, operationIds: (string | null)[]): Promise<string> {
  const host = await f.db.host.findUniqueOrThrow({ where: { id: f.hostId } });
  const agent = agentForHost(host);
  const log = (await f.db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((l) => l.text);
  const ops = await Promise.all(operationIds.filter((id): id is string => !!id).map(async (id) => JSON.stringify(await agent.getOperation({ id, sinceLine: 0 }).catch((e: unknown) => String(e)))));
  return `job log:\n${log.join("\n")}\noperations:\n${ops.join("\n")}`;
}

test("kill -9 of the instance running a build: another instance takes the job over by its lease, follows the same host operation, and ends it SUCCEEDED; one server on the host, its row as the agent reports it", async () => {
  const A = a!;
  const B = b!;
  const s: BrowserSession = await openBrowser({ baseURL: B.url });
  const shot = (step: string) => s.shot(`job-takeover-${step}`);
  try {
    const page = s.page;
    await login(page, f.customer.email, f.password);
    await page.waitForURL(/\/servers$/);

    const hostname = `tko-${crypto.randomBytes(3).toString("hex")}.example.test`;
    serverName = nameFromHostname(hostname);
    lockHolder = await holdServerLock(serverName);

    // Only A may claim the build: the stack's instance and B are paused until it has. A
    // waits too while the server moves to a context id far above the ones the machine's
    // other agents use (the host-wide registry is shared by every agent here), so the host
    // accepts its first build instead of the panel trying the next id.
    signal(stackPid, "SIGSTOP");
    signal(B.child.pid, "SIGSTOP");
    signal(A.child.pid, "SIGSTOP");
    let claimed: Job;
    try {
      made = await startBuild(f, hostname);
      const contextId = await freeContextId(f.db, f.hostId, 30_000 + crypto.randomInt(15_000));
      await f.db.vServer.update({ where: { id: made.serverId }, data: { contextId } });
      signal(A.child.pid, "SIGCONT");
      claimed = await jobWhen(made.jobId, "claimed", (j) => j.state === "RUNNING" && j.runnerId !== null, 30_000);
    } finally {
      signal(A.child.pid, "SIGCONT");
      signal(stackPid, "SIGCONT");
      signal(B.child.pid, "SIGCONT");
    }
    assert.match(claimed.runnerId!, new RegExp(`^runner-${A.child.pid}-`), "A claimed the build");
    assert.equal(claimed.attempts, 1);

    // A has started the host's operation (the agent waits for the server's lock).
    const underA = await jobWhen(made.jobId, "given a host operation", (j) => j.agentOperationId !== null, 30_000);
    assert.equal(underA.state, "RUNNING");
    assert.equal(underA.runnerId, claimed.runnerId, "still A's");
    const host = await f.db.host.findUniqueOrThrow({ where: { id: f.hostId } });
    const agent = agentForHost(host);
    assert.equal((await agent.getOperation({ id: underA.agentOperationId!, sinceLine: 0 })).state, "running", "the host's build is under way");

    // B's page watches the job live while A runs it.
    await gotoAgain(page, `/servers/${made.serverId}?job=${made.jobId}`);
    await page.locator('[data-testid="job-progress"][data-state="RUNNING"]').waitFor({ timeout: 30_000 });
    await shot("01-running-under-a");

    // kill -9 of A in the middle of the job; the build then goes on on the host with no panel following it.
    const leaseAtKill = (await f.db.job.findUniqueOrThrow({ where: { id: made.jobId } })).leaseUntil!;
    const exited = new Promise((r) => A.child.once("exit", r));
    A.child.kill("SIGKILL");
    await exited;
    await releaseServerLock();

    // Another instance takes it over once A's lease ran out: a new runner, the second attempt, the same operation.
    const taken = await jobWhen(made.jobId, "taken over", (j) => j.runnerId !== claimed.runnerId && j.runnerId !== null, 60_000);
    assert.ok(Date.now() >= leaseAtKill.getTime(), `taken over only after A's lease ran out (${leaseAtKill.toISOString()})`);
    assert.ok(taken.attempts === 2, `the take-over is counted as the second attempt (attempts: ${taken.attempts})`);
    const takerPid = Number(/^runner-(\d+)-/.exec(taken.runnerId!)?.[1]);
    assert.ok([stackPid, B.child.pid].includes(takerPid), `a surviving instance took it (runner ${taken.runnerId})`);
    assert.equal(taken.agentOperationId, underA.agentOperationId, `it follows the operation A started, not a new one\n${await story(made.jobId, [underA.agentOperationId, taken.agentOperationId])}`);

    // It ends, never left RUNNING.
    const done = await jobWhen(made.jobId, "ended", (j) => j.state !== "RUNNING" && j.state !== "QUEUED", 60_000);
    const told = await story(made.jobId, [underA.agentOperationId, done.agentOperationId]);
    assert.equal(done.state, "SUCCEEDED", `the job succeeded (error: ${done.error})\n${told}`);
    assert.equal(done.error, null);
    assert.equal(done.attempts, 2, `no third attempt: the taker finished it\n${told}`);
    assert.equal(done.agentOperationId, underA.agentOperationId, `the operation A started is the one that built it\n${told}`);
    assert.equal(done.leaseUntil, null, "no lease is left on an ended job");

    // B's page shows the end live, and that the job was resumed.
    await page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"]').waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="job-log"]')?.textContent?.includes("resuming after an interruption (attempt 2)"), null, { timeout: 30_000 });
    // The page reloads its server data at the job's end: no longer "being built".
    await page.getByText("The server is being built", { exact: false }).first().waitFor({ state: "detached", timeout: 30_000 });
    await shot("02-taken-over-and-done");

    // The operation was started once: one "building" line in the job's log, one operation on the host that succeeded.
    const log = (await f.db.jobLogLine.findMany({ where: { jobId: made.jobId }, orderBy: { seq: "asc" } })).map((l) => l.text);
    assert.equal(log.filter((l) => l.startsWith(`building ${serverName} `)).length, 1, `one build started:\n${log.join("\n")}`);
    assert.equal(log.filter((l) => l.startsWith("resuming after an interruption")).length, 1);
    assert.equal((await agent.getOperation({ id: done.agentOperationId!, sinceLine: 0 })).state, "succeeded");

    // The host holds one server of that name and context, and the panel's row says what the agent says.
    const row = await f.db.vServer.findUniqueOrThrow({ where: { id: made.serverId } });
    const info = await agent.getVserver({ name: serverName });
    const onHost = (await agent.listVservers({})).vservers;
    assert.equal(onHost.filter((v) => v.name === serverName || v.name.startsWith(`${serverName}-`)).length, 1, "one server of that name on the host");
    assert.equal(onHost.filter((v) => v.context === row.contextId).length, 1, "one server with its context on the host");
    assert.equal(info.context, row.contextId);
    assert.equal(info.hostname, hostname);
    assert.equal(row.state, info.state === "running" ? "RUNNING" : "STOPPED", `the row's state (${row.state}) is the host's (${info.state})`);
    assert.equal(row.lastError, null);
  } finally {
    await s.close();
  }
});
