/**
 * Pre-copy moves on the bed (issue 16). At the agents: a whole round of a running
 * busybox server builds B's copy equal to A's tree; after A's tree changed in every way
 * a round must carry (a file edited in place with its size and mtime put back, files
 * and a directory tree removed, a directory renamed with its contents, a directory
 * become a file and a file a directory, a symlink retargeted, a new hard link to an
 * unchanged file, a chmod and a chown, a new FIFO), one round of changes makes B's tree
 * equal to A's again — compared entry by entry (type, mode, owner, size, content,
 * link target, mtime, link count); a round with nothing changed carries next to
 * nothing; a round of changes with no earlier round is refused. Through the panel: a
 * running server that writes all the time moves by pre-copy — rounds while it runs,
 * then the stop and a last round — and runs on B with its files whole and its usage
 * history (samples from before the move), the downtime recorded as a pre-copy move's;
 * and a running Debian server (debootstrap minbase, built once here) moves by pre-copy
 * and answers on B with its release, file and hostname.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { JobRunner } from "@/lib/server/jobs/job-runner";
import { requestMigration } from "@/lib/server/migration/request-migration";
import { issueTransferTicket } from "@/lib/server/migration/transfer-ticket";
import { recentMoveDowntime } from "@/lib/server/migration/recent-move-downtime";
import { AgentError } from "@/lib/agent-client";
import { historyPaths, serverRrdName } from "@/agent/src/ops/history/history-paths";
import { settled } from "@/agent/src/ops/templates/testing/test-agent";
import { binPath } from "@/agent/src/ops/testing/temp-host";
import type { BedHost } from "@/lib/server/testing/multi-host-bed";
import { startBedPanel, type BedPanel } from "@/lib/server/testing/bed-panel";
import { settleJob } from "@/lib/server/testing/settle-job";

let panel: BedPanel | undefined;
let db: Db;
let admin: Actor;
let runner: JobRunner;
let A: BedHost;
let B: BedHost;

const agentOf = async (h: BedHost) => agentForHost(await db.host.findUniqueOrThrow({ where: { id: h.hostId } }), 60_000);
const rootOf = (h: BedHost, name: string) => path.join(h.temp.paths.rootDir, name);
const staged = (h: BedHost) => {
  const d = path.join(h.temp.paths.runDir, "transfers");
  return fs.existsSync(d) ? fs.readdirSync(d) : [];
};

/** Every entry of a tree as a line: type, mode, owner (within its range), size, content hash, link target, mtime, link count. */
function describeTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (rel: string) => {
    const p = path.join(root, rel);
    const st = fs.lstatSync(p);
    const owner = `${st.uid % 65536}:${st.gid % 65536} ${(st.mode & 0o7777).toString(8)}`;
    if (st.isSocket()) return; // sockets cannot travel (a guest's daemons make them again)
    if (st.isDirectory()) {
      out.set(rel || ".", `dir ${owner}`);
      for (const n of fs.readdirSync(p).sort()) visit(path.join(rel, n));
    } else if (st.isSymbolicLink()) out.set(rel, `symlink ${st.uid % 65536}:${st.gid % 65536} -> ${fs.readlinkSync(p)}`);
    else if (st.isFile()) out.set(rel, `file ${owner} ${st.size} ${crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex").slice(0, 16)} mtime ${Math.floor(st.mtimeMs / 1000)} links ${st.nlink}`);
    else out.set(rel, `${st.isFIFO() ? "fifo" : st.isCharacterDevice() ? "char" : "block"} ${owner} ${st.rdev}`);
  };
  visit("");
  return out;
}

/** The entries where the two trees differ (empty when equal). */
function treeDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const diff: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) diff.push(`${k}: A ${v} / B ${b.get(k) ?? "missing"}`);
  for (const [k, v] of b) if (!a.has(k)) diff.push(`${k}: A missing / B ${v}`);
  return diff;
}

const settle = (jobId: string) => settleJob(runner, db, jobId);

before(async () => {
  process.env.AGENT_SAMPLE_INTERVAL_MS = "1000"; // the bed's samplers: a history with samples in seconds, not minutes
  panel = await startBedPanel("precopy", 2);
  ({ db, admin } = panel);
  [A, B] = panel.bed.hosts as [BedHost, BedHost];
  runner = new JobRunner(db);
});

after(async () => {
  await runner?.stop();
  await panel?.stop();
});

describe("pre-copy moves", () => {
  test("rounds of changes bring B's copy of a running server to A's tree, whatever changed", async () => {
    const name = "vstpre1";
    const a = await agentOf(A);
    const b = await agentOf(B);
    const made = await a.createVserver({ name, hostname: `${name}.bed.test`, method: "busybox", startOnBoot: false, start: true });
    assert.equal((await settled(a, made.operationId)).state, "succeeded");
    const t = path.join(rootOf(A, name), "srv/t");
    const w = (rel: string, data: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(t, rel)), { recursive: true });
      fs.writeFileSync(path.join(t, rel), data);
    };
    w("keep.txt", "unchanged\n");
    w("edit.txt", "before-1234\n");
    w("gone.txt", "removed later\n");
    w("dirgone/a", "a");
    w("dirgone/b/c", "c");
    w("moveme/x", "x");
    w("moveme/sub/y", crypto.randomBytes(100_000));
    w("becomesfile/child", "child");
    w("becomesdir", "a file first");
    w("hl1", "linked later");
    w("chmodme", "mode");
    w("chownme", "owner");
    fs.symlinkSync("keep.txt", path.join(t, "link"));
    const offer = async (opts: { live: boolean; changedOnly: boolean }) => {
      const ticket = issueTransferTicket(name, A.hostId, B.hostId);
      await a.offerTransfer({ name, ticket, ...opts });
      return ticket;
    };
    const source = { endpoint: A.endpoint, tlsCertPem: A.tlsCaPem };

    // Round 1: the whole root, while it runs. A round of changes takes what changed up to
    // a second before the previous round began (the kernel's ctime clock is coarse):
    // the root made just now would all be sent again without this pause.
    await new Promise((r) => setTimeout(r, 1100));
    const t1 = await offer({ live: true, changedOnly: false });
    const r1 = await settled(b, (await b.receiveTransfer({ ticket: t1, source, server: { name, hostname: `${name}.bed.test` } })).operationId);
    assert.equal(r1.state, "succeeded", r1.error?.message);
    assert.equal((await a.getVserver({ name })).state, "running", "the server ran through the whole round");
    assert.deepEqual(treeDiff(describeTree(t), describeTree(path.join(rootOf(B, name), "srv/t"))), [], "B's copy equals A's tree after the whole round");

    // Every kind of change a round must carry.
    const editStat = fs.statSync(path.join(t, "edit.txt"));
    fs.writeFileSync(path.join(t, "edit.txt"), "after--4321\n"); // same size…
    fs.utimesSync(path.join(t, "edit.txt"), editStat.atime, editStat.mtime); // …and mtime: only ctime tells
    fs.rmSync(path.join(t, "gone.txt"));
    fs.rmSync(path.join(t, "dirgone"), { recursive: true });
    fs.renameSync(path.join(t, "moveme"), path.join(t, "moved"));
    fs.rmSync(path.join(t, "becomesfile"), { recursive: true });
    w("becomesfile", "now a file");
    fs.rmSync(path.join(t, "becomesdir"));
    w("becomesdir/inside", "now a directory");
    fs.rmSync(path.join(t, "link"));
    fs.symlinkSync("edit.txt", path.join(t, "link"));
    fs.linkSync(path.join(t, "hl1"), path.join(t, "hl2"));
    fs.chmodSync(path.join(t, "chmodme"), 0o600);
    fs.chownSync(path.join(t, "chownme"), 1000, 1000);
    execFileSync("mkfifo", [path.join(t, "fifo")]);
    w("new/deep/file", crypto.randomBytes(50_000));

    await new Promise((r) => setTimeout(r, 1100)); // the changes lie before round 2's slack (see round 1)
    const t2 = await offer({ live: true, changedOnly: true });
    const r2 = await settled(b, (await b.syncTransfer({ ticket: t2, source, name })).operationId);
    assert.equal(r2.state, "succeeded", r2.error?.message);
    const bytes2 = r2.result?.bytes;
    const bytes1 = r1.result?.bytes;
    assert.ok(typeof bytes1 === "number" && typeof bytes2 === "number" && bytes2 < bytes1 / 4, `the round of changes is small next to the whole one: ${bytes2} vs ${bytes1}`);
    assert.ok(typeof r2.result?.removed === "number" && r2.result.removed >= 6, `it removed the gone paths on B: ${r2.result?.removed}`);
    const onB = path.join(rootOf(B, name), "srv/t");
    assert.deepEqual(treeDiff(describeTree(t), describeTree(onB)), [], "B's copy equals A's tree after the round of changes");
    assert.equal(fs.readFileSync(path.join(onB, "edit.txt"), "utf8"), "after--4321\n", "the in-place edit arrived");
    assert.equal(fs.statSync(path.join(onB, "hl1")).ino, fs.statSync(path.join(onB, "hl2")).ino, "the new hard link is a hard link on B too");
    // The whole root too, but for what B's build writes for the server on its host (its name and addresses there).
    const written = (m: Map<string, string>) => new Map([...m].filter(([k]) => k !== "etc/hostname" && k !== "etc/hosts"));
    assert.deepEqual(treeDiff(written(describeTree(rootOf(A, name))), written(describeTree(rootOf(B, name)))), [], "and so is the whole root");

    // Nothing changed since a second before round 2 began: next to nothing moves.
    const t3 = await offer({ live: true, changedOnly: true });
    const r3 = await settled(b, (await b.syncTransfer({ ticket: t3, source, name })).operationId);
    assert.equal(r3.state, "succeeded", r3.error?.message);
    assert.equal(r3.result?.removed, 0);
    assert.ok((r3.result?.dataBytes as number) < 4096 && (r3.result?.bytes as number) < 4096, `an idle round carries next to nothing: ${JSON.stringify(r3.result)}`);

    // A round of changes needs an earlier round: withdrawn, there is none.
    await a.withdrawTransfers({ name });
    const refused = await a.offerTransfer({ name, ticket: issueTransferTicket(name, A.hostId, B.hostId), live: true, changedOnly: true }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(refused instanceof AgentError && refused.code === "CONFLICT", `refused: ${String(refused)}`);
    // A round that is not live needs the server stopped.
    const notLive = await a.offerTransfer({ name, ticket: issueTransferTicket(name, A.hostId, B.hostId) }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(notLive instanceof AgentError && notLive.code === "WRONG_STATE", `refused: ${String(notLive)}`);
    assert.deepEqual(staged(A), []);
    assert.deepEqual(staged(B), []);
    await b.deleteVserver({ name });
    await a.stopVserver({ name, timeoutSec: 5 });
    await a.deleteVserver({ name });
  });

  test("through the panel: a running server that keeps writing moves by pre-copy and runs on B with its files whole", async () => {
    const name = "vstpre2";
    const a = await agentOf(A);
    const made = await a.createVserver({ name, hostname: `${name}.bed.test`, method: "busybox", startOnBoot: false, start: true });
    assert.equal((await settled(a, made.operationId)).state, "succeeded");
    const info = await a.getVserver({ name });
    const row = await db.vServer.create({
      data: { name, hostname: `${name}.bed.test`, contextId: info.context, hostId: A.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "busybox", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
    });
    await a.execInVserver({ name, argv: ["/bin/sh", "-c", "head -c 30000000 /dev/urandom > /root/data && md5sum /root/data > /root/data.md5"], timeoutMs: 120_000 });
    const sum = (await a.execInVserver({ name, argv: ["/bin/cat", "/root/data.md5"] })).stdout;
    // A writer that never rests: a counter appended every 20 ms, each line whole.
    await a.execInVserver({ name, argv: ["/bin/sh", "-c", "(i=0; while :; do i=$((i+1)); echo line-$i >> /root/counter; sleep 0.02; done) >/dev/null 2>&1 </dev/null &"] });
    // Its usage history on A: it moves with it.
    const rrdOf = (h: BedHost) => path.join(historyPaths(h.temp.paths).baseDir, serverRrdName(name));
    const memorySamples = (h: BedHost, endSec: number) => {
      const fetched = execFileSync("rrdtool", ["fetch", rrdOf(h), "AVERAGE", "-r", "10", "-s", String(endSec - 600), "-e", String(endSec), "--daemon", `unix:${historyPaths(h.temp.paths).socket}`], { encoding: "utf8" });
      const memColumn = fetched.split("\n")[0]!.trim().split(/\s+/).indexOf("mem");
      return fetched.split("\n").slice(2).map((l) => l.trim().split(/\s+/)[memColumn + 1] ?? "").filter((v) => /^[0-9.]+e[+-]\d+$/i.test(v)).length;
    };
    for (let i = 0; i < 400 && !(fs.existsSync(rrdOf(A)) && memorySamples(A, Math.floor(Date.now() / 1000)) > 0); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(memorySamples(A, Math.floor(Date.now() / 1000)) > 0, "A has a history of it with samples");
    const moveStartSec = Math.floor(Date.now() / 1000);
    const { jobId } = await requestMigration(db, admin, row.id, { targetHostId: B.hostId });
    const job = await settle(jobId);
    const lines = (await db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((l) => l.text);
    assert.equal(job.state, "SUCCEEDED", `${job.error}\n${lines.join("\n")}`);
    assert.ok(lines.some((l) => l.includes("(pre-copy: copied while it runs")), lines.join("\n"));
    assert.ok(lines.some((l) => l.startsWith("round 1 (the whole root, while vstpre2 runs)")), "the whole round ran while it ran");
    assert.ok(lines.some((l) => /^round 2 \(what changed meanwhile, while it runs\): \d+(?:\.\d)? (?:B|KiB|MiB|GiB) in /.test(l)), "then a round of changes");
    assert.ok(lines.some((l) => /^last round \(stopped\): \d+(?:\.\d)? (?:B|KiB|MiB|GiB) in /.test(l)), "and the last round after the stop");
    const payload = JSON.parse(job.payload) as { movedBy?: string; downtimeMs?: number; precopyRoundBytes?: number[] };
    assert.equal(payload.movedBy, "precopy");
    assert.ok(Array.isArray(payload.precopyRoundBytes) && payload.precopyRoundBytes.length >= 2, JSON.stringify(payload));
    assert.ok(typeof payload.downtimeMs === "number" && payload.downtimeMs > 0);
    assert.deepEqual(await recentMoveDowntime(db, admin, "precopy"), { medianMs: payload.downtimeMs, moves: 1 }, "the control shows it as a pre-copy move's");

    const b = await agentOf(B);
    assert.equal((await b.getVserver({ name })).state, "running");
    assert.equal((await b.execInVserver({ name, argv: ["/bin/sh", "-c", "md5sum /root/data"] })).stdout, sum, "the data file is whole on B");
    const counter = (await b.execInVserver({ name, argv: ["/bin/cat", "/root/counter"] })).stdout.trim().split("\n");
    assert.ok(counter.length > 10, `the writer wrote during the rounds: ${counter.length} lines`);
    assert.deepEqual(counter, counter.map((_, i) => `line-${i + 1}`), "every line the writer wrote before the stop is there, in order, none torn");
    assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: row.id } })).hostId, B.hostId);
    assert.ok(lines.includes("the server's usage history came with it"), lines.join("\n"));
    // B's history holds samples from before the move: A's, not only B's own since.
    assert.ok(memorySamples(B, moveStartSec) > 0, "B's history has memory samples from before the move");
    assert.ok(!(await a.listVservers({})).vservers.some((v) => v.name === name), "gone from A");
    assert.deepEqual(staged(A), []);
    assert.deepEqual(staged(B), []);
  });
  test("a running Debian server (debootstrap minbase) moves by pre-copy and runs on B: its release, file, hostname and a process that counts", async () => {
    const name = "vstdeb";
    // Built by the CLI in the root namespace (the bed's namespaces reach only the bridge), into A's directories.
    const built = spawnSync(binPath("vserver"), [name, "build", "-m", "debootstrap", "--hostname", `${name}.bed.test`, "--", "-d", "bookworm", "--variant", "minbase"], {
      env: { ...A.temp.env, VSERVER_DEBOOTSTRAP_CACHE: process.env.VSERVER_DEBOOTSTRAP_CACHE ?? "/var/cache/vserver-panel/debootstrap" },
      encoding: "utf8",
      timeout: 900_000,
      maxBuffer: 64 << 20,
    });
    assert.equal(built.status, 0, `${built.stdout.slice(-2000)}\n${built.stderr.slice(-2000)}`);
    const a = await agentOf(A);
    const info = await a.startVserver({ name });
    assert.equal(info.state, "running");
    const row = await db.vServer.create({
      data: { name, hostname: `${name}.bed.test`, contextId: info.context, hostId: A.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "debootstrap", cpuMilli: 1000, memoryMb: 512, diskMb: 2048, pids: 256 },
    });
    await a.execInVserver({ name, argv: ["/bin/sh", "-c", "echo moved-debian > /root/marker"] });
    const rootMiB = Number(execFileSync("du", ["-sm", rootOf(A, name)], { encoding: "utf8" }).split("\t")[0]);
    const { jobId } = await requestMigration(db, admin, row.id, { targetHostId: B.hostId });
    const job = await settle(jobId);
    const lines = (await db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((l) => l.text);
    assert.equal(job.state, "SUCCEEDED", `${job.error}\n${lines.join("\n")}`);
    assert.ok(lines.some((l) => /^last round \(stopped\): /.test(l)), lines.join("\n"));
    const payload = JSON.parse(job.payload) as { downtimeMs?: number; precopyRoundBytes?: number[] };
    // Said, not asserted (no timed assertions): the closing note and the bench carry the figures.
    console.log(`Debian minbase (${rootMiB} MiB) moved by pre-copy: rounds ${JSON.stringify(payload.precopyRoundBytes)} bytes, downtime ${payload.downtimeMs} ms`);
    const b = await agentOf(B);
    assert.equal((await b.getVserver({ name })).state, "running");
    assert.match((await b.execInVserver({ name, argv: ["/bin/cat", "/etc/debian_version"] })).stdout, /^12\./);
    assert.equal((await b.execInVserver({ name, argv: ["/bin/cat", "/root/marker"] })).stdout.trim(), "moved-debian");
    assert.equal((await b.execInVserver({ name, argv: ["/bin/hostname"] })).stdout.trim(), `${name}.bed.test`);
    // A process started after the move counts on (the server's own processes run: sleep, date, its shell).
    await b.execInVserver({ name, argv: ["/bin/sh", "-c", "(while :; do date +%s >> /root/ticks; sleep 0.2; done) >/dev/null 2>&1 </dev/null &"] });
    await new Promise((r) => setTimeout(r, 1500));
    const ticks = (await b.execInVserver({ name, argv: ["/bin/cat", "/root/ticks"] })).stdout.trim().split("\n");
    assert.ok(ticks.length >= 2, `it counts: ${ticks.length} ticks`);
    assert.ok(!(await a.listVservers({})).vservers.some((v) => v.name === name), "gone from A");
    assert.deepEqual(staged(A), []);
    assert.deepEqual(staged(B), []);
  });
});
