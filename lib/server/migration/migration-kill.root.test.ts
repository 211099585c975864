/**
 * Never half-moved (issue 16): a running busybox server moves back and forth between
 * hosts A and B of the bed while, at a random moment of each move, the panel (its job
 * runner, a process of its own), the source agent or the target agent is killed with
 * SIGKILL and then started again, as an operator or systemd would. After each move has
 * ended (done, failed, or taken over by the restarted panel) and the hosts were
 * reconciled (which deletes a source copy the move could not delete while that agent
 * was down), the server is whole on exactly one host: the panel's row points there, it
 * runs there with its file, the other host has no copy of it, no transfer file is left
 * staged, and no job of it is still open. 21 kills, 7 of each, in pre-copy and offline
 * moves (the method changes every three runs).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { probeHost } from "@/lib/server/hosts/probe-host";
import { requestMigration } from "@/lib/server/migration/request-migration";
import { reconcileHost } from "@/lib/server/reconcile/reconcile-host";
import { settled } from "@/agent/src/ops/templates/testing/test-agent";
import type { BedHost, MultiHostBed } from "@/lib/server/testing/multi-host-bed";
import { startBedPanel, type BedPanel } from "@/lib/server/testing/bed-panel";

const runnerScript = path.join(import.meta.dirname, "../../testing/job-runner-process.ts");
const name = "vstkill";
const kills = 21;

let bench: BedPanel | undefined;
let db: Db;
let bed: MultiHostBed | undefined;
let admin: Actor;
let panel: ChildProcess | null = null;

const agentOf = async (hostId: string) => agentForHost(await db.host.findUniqueOrThrow({ where: { id: hostId } }), 30_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const staged = (h: BedHost) => {
  const d = path.join(h.temp.paths.runDir, "transfers");
  return fs.existsSync(d) ? fs.readdirSync(d) : [];
};

/** Starts the panel's job runner process; resolves once it polls. */
async function startPanel(): Promise<void> {
  const child = fork(runnerScript, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"], env: { ...process.env, JOB_LEASE_MS: "3000" } });
  await new Promise<void>((resolve, reject) => {
    child.on("message", (m: { type: string }) => m.type === "ready" && resolve());
    child.once("exit", (code) => reject(new Error(`the job runner exited (${code}) before it was ready`)));
  });
  panel = child;
}

async function killPanel(): Promise<void> {
  const child = panel;
  panel = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await gone;
}

/** Waits for the job to end (the runner, or the restarted one, finishes it). */
async function ended(jobId: string) {
  for (let i = 0; i < 1200; i++) {
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (job.state === "SUCCEEDED" || job.state === "FAILED") return job;
    await sleep(250);
  }
  throw new Error(`job ${jobId} did not end`);
}

/** Whether `h`'s agent has the server (null while the agent does not answer). */
async function has(h: BedHost): Promise<boolean> {
  const list = await (await agentOf(h.hostId)).listVservers({});
  return list.vservers.some((v) => v.name === name);
}

/** Polls `check` until it holds (the reconciler and agent start-up clean up in the background). */
async function eventually(what: string, check: () => Promise<boolean>, jobId: string, tries = 80): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  const log = (await db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((l) => `  ${l.text}`);
  assert.fail(`${what}\njob log:\n${log.join("\n")}`);
}

before(async () => {
  bench = await startBedPanel("kill", 2);
  ({ db, admin, bed } = bench);
  await startPanel();
});

after(async () => {
  await killPanel();
  await bench?.stop();
});

describe("kill -9 during a move", () => {
  test(`${kills} moves, each with the panel, the source agent or the target agent killed at a random moment: the server is whole on exactly one host after each`, async () => {
    const [A, B] = bed!.hosts as [BedHost, BedHost];
    const hostOf = (id: string) => (id === A.hostId ? A : B);
    const a = await agentOf(A.hostId);
    const { operationId } = await a.createVserver({ name, hostname: `${name}.bed.test`, method: "busybox", startOnBoot: false, start: true });
    assert.equal((await settled(a, operationId)).state, "succeeded");
    await a.execInVserver({ name, argv: ["/bin/sh", "-c", "echo whole > /root/marker"] });
    const info = await a.getVserver({ name });
    const row = await db.vServer.create({
      data: { name, hostname: `${name}.bed.test`, contextId: info.context, hostId: A.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "busybox", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
    });

    // One clean move first: how long a move takes here bounds the random moments.
    const t0 = Date.now();
    const clean = await ended((await requestMigration(db, admin, row.id, { targetHostId: B.hostId })).jobId);
    assert.equal(clean.state, "SUCCEEDED", `${clean.error}\n${(await db.jobLogLine.findMany({ where: { jobId: clean.id }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n")}`);
    const moveMs = Date.now() - t0;

    const outcomes: string[] = [];
    for (let i = 0; i < kills; i++) {
      const victim = (["panel", "source", "target"] as const)[i % 3];
      const current = await db.vServer.findUniqueOrThrow({ where: { id: row.id } });
      const source = hostOf(current.hostId);
      const target = source === A ? B : A;
      // Each victim is killed in pre-copy and in offline moves: the method changes every three runs.
      const method = Math.floor(i / 3) % 2 ? "offline" : "precopy";
      const { jobId } = await requestMigration(db, admin, row.id, { targetHostId: target.hostId, method });
      const at = Math.round(Math.random() * moveMs * 1.2);
      await sleep(at);
      if (victim === "panel") {
        await killPanel();
        await startPanel();
      } else {
        const h = victim === "source" ? source : target;
        await bed!.stopAgent(h, "SIGKILL");
        await sleep(Math.round(Math.random() * 1000));
        await bed!.startAgent(h);
      }
      const job = await ended(jobId);
      for (const h of [A, B]) {
        await probeHost(db, h.hostId);
        await reconcileHost(db, h.hostId);
      }
      const now = await db.vServer.findUniqueOrThrow({ where: { id: row.id } });
      const home = hostOf(now.hostId);
      const other = home === A ? B : A;
      const where = `run ${i + 1} (${method}, ${victim} killed at ${at} ms of ~${moveMs}; job ${job.state}${job.error ? `: ${job.error}` : ""})`;
      outcomes.push(`${where} → on ${home === A ? "A" : "B"}`);
      await eventually(
        `${where}: the server runs on the host the panel has it on`,
        async () => {
          await reconcileHost(db, home.hostId); // as the panel's reconciler does every few seconds
          return (await (await agentOf(home.hostId)).getVserver({ name })).state === "running";
        },
        jobId,
      );
      await eventually(`${where}: the other host (${other === A ? "A" : "B"}) has no copy`, async () => {
        await reconcileHost(db, other.hostId); // as the panel's reconciler does every few seconds
        return !(await has(other));
      }, jobId);
      const marker = await (await agentOf(home.hostId)).execInVserver({ name, argv: ["/bin/cat", "/root/marker"] });
      assert.equal(marker.stdout.trim(), "whole", `${where}: its file is there`);
      await eventually(`${where}: no transfer file is left staged`, async () => staged(A).length === 0 && staged(B).length === 0, jobId);
      assert.equal(await db.job.count({ where: { vserverId: row.id, state: { in: ["QUEUED", "RUNNING"] } } }), 0, `${where}: no job of it is open`);
    }
    console.log(outcomes.join("\n"));
  });
});
