/**
 * Offline migration on the three-host bed (issue 16): a running busybox server moves
 * from host A to host B through the panel's job and is checked from inside on B (a file
 * written before the move, its hostname), gone from A, the panel row at B; a transfer
 * ticket opens the source's stream once, for its own server, before its expiry; a
 * server's address is reached from B's network after the move and no longer from A's,
 * and one whose pool B lacks is replaced, when the admin chooses, by a new one from B's; a
 * hostile tree sent by a fake source (a symlink out of the root, a file written through
 * it, a device node) touches nothing on the target host and leaves nothing there; a stream
 * cut by the network (a relay that drops the first connection) is resumed where it
 * stopped and the server built whole; and a
 * target agent killed (-9) during the transfer leaves the server whole and running on A,
 * after which a retry moves it; a source agent killed (-9) during the transfer leaves
 * nothing on B, and the server runs whole on A once A's agent is back and reconciled.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { Actor } from "@/lib/server/actor";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { JobRunner } from "@/lib/server/jobs/job-runner";
import { requestMigration } from "@/lib/server/migration/request-migration";
import { probeHost } from "@/lib/server/hosts/probe-host";
import { reconcileHost } from "@/lib/server/reconcile/reconcile-host";
import { issueTransferTicket } from "@/lib/server/migration/transfer-ticket";
import { transferHeaders } from "@/lib/protocol/migration-operations";
import { encodeHeader, padding, TAR_END, type TarHeader } from "@/agent/src/ops/templates/tar-format";
import { settled } from "@/agent/src/ops/templates/testing/test-agent";
import { settleJob } from "@/lib/server/testing/settle-job";
import { startMultiHostBed, type BedHost, type MultiHostBed } from "@/lib/server/testing/multi-host-bed";

let dir: string;
let db: Db;
let bed: MultiHostBed | undefined;
let admin: Actor;
let runner: JobRunner;
let A: BedHost;
let B: BedHost;

const agentOf = async (h: BedHost) => agentForHost(await db.host.findUniqueOrThrow({ where: { id: h.hostId } }), 60_000);

const settle = (jobId: string) => settleJob(runner, db, jobId);

/** The staged transfer files of a host (none once transfers ended). */
const staged = (h: BedHost) => {
  const d = path.join(h.temp.paths.runDir, "transfers");
  return fs.existsSync(d) ? fs.readdirSync(d) : [];
};

const jobLog = async (jobId: string) => (await db.jobLogLine.findMany({ where: { jobId }, orderBy: { seq: "asc" } })).map((l) => l.text);

/** A running busybox server on `h` with a panel row (meant to run). */
async function runningServer(h: BedHost, name: string) {
  const agent = await agentOf(h);
  const { operationId } = await agent.createVserver({ name, hostname: `${name}.bed.test`, method: "busybox", startOnBoot: false, start: true });
  const op = await settled(agent, operationId);
  assert.equal(op.state, "succeeded", op.error?.message);
  const info = await agent.getVserver({ name });
  return db.vServer.create({
    data: { name, hostname: `${name}.bed.test`, contextId: info.context, hostId: h.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "busybox", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
  });
}

/** GET of the source's transfer route from the test (the root namespace reaches the bridge). */
function getTransfer(h: BedHost, ticketId: string, server: string, secret: string): Promise<{ status: number; bytes: number; sha256: string; header: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${h.endpoint}/transfer/${ticketId}?server=${server}`, { ca: h.tlsCaPem, headers: { authorization: `Ticket ${secret}` } }, (res) => {
      const hash = crypto.createHash("sha256");
      let bytes = 0;
      res.on("data", (c: Buffer) => {
        hash.update(c);
        bytes += c.length;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest("hex"), header: String(res.headers[transferHeaders.sha256] ?? "") }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-mig-db-"));
  process.env.NEXTAUTH_SECRET = "m".repeat(48);
  process.env.DATABASE_URL = `file:${path.join(dir, "panel.db")}`;
  await migrate(databaseTarget());
  db = createDb();
  const a = await db.user.create({ data: { email: "mig-admin@bed.test", role: "ADMIN", passwordHash: "x" } });
  admin = { userId: a.id, role: "ADMIN", via: "cli", ip: null, userAgent: null };
  bed = await startMultiHostBed(db, admin, 2);
  [A, B] = bed.hosts as [BedHost, BedHost];
  runner = new JobRunner(db);
});

after(async () => {
  await runner?.stop();
  await bed?.stop();
  await db?.$disconnect();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("offline migration between hosts", () => {
  test("a running busybox server moves from A to B: its file and hostname are there, it runs on B, it is gone from A, the row points at B", async () => {
    const row = await runningServer(A, "vstmig1");
    const a = await agentOf(A);
    const b = await agentOf(B);
    await a.execInVserver({ name: "vstmig1", argv: ["/bin/sh", "-c", "echo written-before-the-move > /root/marker"] });
    const { jobId } = await requestMigration(db, admin, row.id, { targetHostId: B.hostId, method: "offline" });
    const job = await settle(jobId);
    const lines = await jobLog(jobId);
    assert.ok(lines.some((l) => l.includes("(offline: stop, copy, start)")), "moved offline, as asked");
    assert.equal(job.state, "SUCCEEDED", `${job.error}\n${lines.join("\n")}`);
    assert.ok(lines.some((l) => /^received .* (?:B|KiB|MiB|GiB), sha256 [0-9a-f]{64} verified$/.test(l)), "the job log has the bytes received and the verified checksum");
    const downtime = (JSON.parse(job.payload) as { downtimeMs?: number; stoppedAt?: number }).downtimeMs;
    assert.ok(typeof downtime === "number" && downtime > 0 && downtime < Date.now() - job.createdAt.getTime() + 1000, `the downtime is kept on the job: ${downtime}`);
    assert.ok(lines.some((l) => l === `vstmig1 is running on the target host; downtime ${(downtime / 1000).toFixed(1)} s (from its stop on the source to running here)`), "and said in its log");

    const onB = await b.getVserver({ name: "vstmig1" });
    assert.equal(onB.state, "running");
    assert.equal((await b.execInVserver({ name: "vstmig1", argv: ["/bin/cat", "/root/marker"] })).stdout.trim(), "written-before-the-move");
    assert.equal((await b.execInVserver({ name: "vstmig1", argv: ["/bin/hostname"] })).stdout.trim(), "vstmig1.bed.test");
    assert.ok(!(await a.listVservers({})).vservers.some((v) => v.name === "vstmig1"), "gone from A");
    assert.ok(!fs.existsSync(path.join(A.temp.paths.rootDir, "vstmig1")), "A's root is removed");

    const moved = await db.vServer.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal(moved.hostId, B.hostId);
    assert.equal(moved.contextId, onB.context);
    assert.equal(moved.state, "RUNNING");
    assert.equal(await db.event.count({ where: { vserverId: row.id, type: "server.migrated" } }), 1);
    assert.equal(await db.auditLog.count({ where: { action: "vserver.migrate", targetId: row.id } }), 1);
    assert.deepEqual(staged(B), [], "no staged file is left on the target");
    assert.deepEqual(staged(A), [], "nor on the source");
  });

  test("its address moves with it: reached from B's network after the move, no longer from A's", async () => {
    const octet = crypto.randomInt(1, 250);
    const pool = await db.ipPool.create({ data: { name: `mig-addr-${octet}`, family: "IPV4", cidr: `10.88.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId: A.hostId }, { hostId: B.hostId }] } } });
    const address = `10.88.${octet}.5`;
    const a = await agentOf(A);
    const { operationId } = await a.createVserver({ name: "vstmig5", hostname: "vstmig5.bed.test", method: "busybox", startOnBoot: false, start: true, interfaces: [{ address, prefix: 24 }] });
    assert.equal((await settled(a, operationId)).state, "succeeded");
    const info = await a.getVserver({ name: "vstmig5" });
    const row = await db.vServer.create({
      data: { name: "vstmig5", hostname: "vstmig5.bed.test", contextId: info.context, hostId: A.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "busybox", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
    });
    await db.ipAddress.create({ data: { poolId: pool.id, family: "IPV4", address, prefix: 32, vserverId: row.id } });
    // Reached from the host's own network namespace (where its agent runs), as the host's network would reach it.
    const ping = (h: BedHost) => {
      try {
        execFileSync("ip", ["netns", "exec", h.netns, "ping", "-c", "1", "-W", "2", address], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(ping(A), "reached on A before the move");
    assert.ok(!ping(B), "not on B before the move");
    const job = await settle((await requestMigration(db, admin, row.id, { targetHostId: B.hostId })).jobId);
    assert.equal(job.state, "SUCCEEDED", `${job.error}\n${(await jobLog(job.id)).join("\n")}`);
    assert.ok(ping(B), "reached on B after the move");
    assert.ok(!ping(A), "no longer on A");
    const b = await agentOf(B);
    assert.match((await b.execInVserver({ name: "vstmig5", argv: ["/bin/sh", "-c", "ip -4 addr"] })).stdout, new RegExp(address.replace(/\./g, "\\.")), "the address is inside the server on B");
  });

  test("an address whose pool B lacks is replaced by a new one from B's pool when the admin chooses: it answers on B, the old one is back in its pool", async () => {
    const octet = crypto.randomInt(1, 250);
    const onlyA = await db.ipPool.create({ data: { name: `mig-only-a-${octet}`, family: "IPV4", cidr: `10.89.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId: A.hostId }] } } });
    await db.ipPool.create({ data: { name: `mig-only-b-${octet}`, family: "IPV4", cidr: `10.90.${octet}.0/24`, assignPrefix: 32, hosts: { create: [{ hostId: B.hostId }] } } });
    const oldAddress = `10.89.${octet}.7`;
    const a = await agentOf(A);
    const { operationId } = await a.createVserver({ name: "vstmig6", hostname: "vstmig6.bed.test", method: "busybox", startOnBoot: false, start: true, interfaces: [{ address: oldAddress, prefix: 24 }] });
    assert.equal((await settled(a, operationId)).state, "succeeded");
    const row = await db.vServer.create({
      data: { name: "vstmig6", hostname: "vstmig6.bed.test", contextId: (await a.getVserver({ name: "vstmig6" })).context, hostId: A.hostId, ownerId: admin.userId, state: "RUNNING", desiredState: "RUNNING", buildMethod: "busybox", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 },
    });
    const old = await db.ipAddress.create({ data: { poolId: onlyA.id, family: "IPV4", address: oldAddress, prefix: 32, vserverId: row.id } });
    const job = await settle((await requestMigration(db, admin, row.id, { targetHostId: B.hostId, newAddresses: true })).jobId);
    const lines = await jobLog(job.id);
    assert.equal(job.state, "SUCCEEDED", `${job.error}\n${lines.join("\n")}`);
    const now = await db.ipAddress.findMany({ where: { vserverId: row.id } });
    assert.equal(now.length, 1);
    const fresh = now[0]!.address;
    assert.equal(await db.ipPoolHost.count({ where: { hostId: B.hostId, poolId: now[0]!.poolId } }), 1, "the new address is from one of B's pools");
    assert.equal(await db.ipAddress.count({ where: { id: old.id } }), 0, "the old address is back in its pool");
    assert.ok(lines.some((l) => l.startsWith(`new addresses on ${B.name}: ${fresh} (replacing ${oldAddress})`)), lines.join("\n"));
    const b = await agentOf(B);
    const inside = (await b.execInVserver({ name: "vstmig6", argv: ["/bin/sh", "-c", "ip -4 addr"] })).stdout;
    assert.ok(inside.includes(fresh) && !inside.includes(oldAddress), inside);
    execFileSync("ip", ["netns", "exec", B.netns, "ping", "-c", "1", "-W", "2", fresh], { stdio: "ignore" });
  });

  test("a transfer ticket is refused for another server, a second time, and after it expired", async () => {
    const a = await agentOf(A);
    const { operationId } = await a.createVserver({ name: "vstmig3", hostname: "vstmig3.bed.test", method: "busybox", startOnBoot: false });
    assert.equal((await settled(a, operationId)).state, "succeeded");
    const ticket = issueTransferTicket("vstmig3", A.hostId, B.hostId);
    await a.offerTransfer({ name: "vstmig3", ticket });

    assert.equal((await getTransfer(A, ticket.id, "vstmig3", "x".repeat(43))).status, 401, "a wrong secret");
    assert.equal((await getTransfer(A, ticket.id, "vstmig1", ticket.secret)).status, 403, "another server");
    const first = await getTransfer(A, ticket.id, "vstmig3", ticket.secret);
    assert.equal(first.status, 200);
    assert.ok(first.bytes > 0);
    assert.equal(first.sha256, first.header, "the body matches the checksum the source sent");
    assert.equal((await getTransfer(A, ticket.id, "vstmig3", ticket.secret)).status, 409, "used twice");

    // The target agent is refused the same way: a used ticket builds nothing.
    const b = await agentOf(B);
    const used = await b.receiveTransfer({ ticket, source: { endpoint: A.endpoint, tlsCertPem: A.tlsCaPem }, server: { name: "vstmig3", hostname: "vstmig3.bed.test" } });
    const op = await settled(b, used.operationId);
    assert.equal(op.state, "failed");
    assert.match(op.error?.message ?? "", /already used/);
    assert.ok(!(await b.listVservers({})).vservers.some((v) => v.name === "vstmig3"));

    // A new offer of the server replaces the earlier one: its ticket opens nothing any more.
    const short = issueTransferTicket("vstmig3", A.hostId, B.hostId, 1000);
    await a.offerTransfer({ name: "vstmig3", ticket: short });
    assert.equal((await getTransfer(A, ticket.id, "vstmig3", ticket.secret)).status, 401, "the replaced ticket is unknown now");
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await getTransfer(A, short.id, "vstmig3", short.secret)).status, 410, "expired");
  });

  test("a stream cut by the network is resumed where it stopped: the server is built whole on B, and the source's archive goes once sent", async () => {
    const a = await agentOf(A);
    const { operationId } = await a.createVserver({ name: "vstmig7", hostname: "vstmig7.bed.test", method: "busybox", startOnBoot: false });
    assert.equal((await settled(a, operationId)).state, "succeeded");
    const big = crypto.randomBytes(24 << 20); // incompressible: the archive is as large
    fs.writeFileSync(path.join(A.temp.paths.rootDir, "vstmig7", "root", "big"), big);
    // A TCP relay in A's namespace, on A's address (the one its certificate names), that cuts its first connection after 8 MiB from the source.
    const agentPort = new URL(A.endpoint).port;
    const relayPort = String(Number(agentPort) + 1);
    const relayCode = `
      const net = require("node:net");
      const [host, upstream, port, limit] = process.argv.slice(1);
      let connections = 0;
      net.createServer((c) => {
        const cut = connections++ === 0;
        const u = net.connect(Number(upstream), host);
        let n = 0;
        u.on("data", (d) => { n += d.length; c.write(d); if (cut && n > Number(limit)) { c.destroy(); u.destroy(); } });
        c.on("data", (d) => u.write(d));
        c.on("error", () => u.destroy()); u.on("error", () => c.destroy());
        c.on("close", () => u.destroy()); u.on("close", () => c.destroy());
      }).listen(Number(port), host, () => console.log("listening"));`;
    const relay = spawn("ip", ["netns", "exec", A.netns, process.execPath, "-e", relayCode, A.address, agentPort, relayPort, String(8 << 20)], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        relay.stdout!.once("data", () => resolve());
        relay.once("exit", (code) => reject(new Error(`the relay ended (${code})`)));
      });
      const ticket = issueTransferTicket("vstmig7", A.hostId, B.hostId);
      await a.offerTransfer({ name: "vstmig7", ticket });
      const b = await agentOf(B);
      const started = await b.receiveTransfer({ ticket, source: { endpoint: `https://${A.address}:${relayPort}`, tlsCertPem: A.tlsCaPem }, server: { name: "vstmig7", hostname: "vstmig7.bed.test" } });
      const op = await settled(b, started.operationId);
      const lines = op.lines.map((l) => l.text);
      assert.equal(op.state, "succeeded", `${op.error?.message}\n${lines.join("\n")}`);
      assert.ok(lines.some((l) => /^the stream was cut after \d+(?:\.\d)? (?:B|KiB|MiB|GiB) /.test(l)), lines.join("\n"));
      assert.ok(lines.some((l) => /^resumed at \d+(?:\.\d)? (?:B|KiB|MiB|GiB) of /.test(l)), "and resumed where it stopped");
      assert.ok(lines.some((l) => /^received .* (?:B|KiB|MiB|GiB), sha256 [0-9a-f]{64} verified$/.test(l)), "the whole archive's checksum holds");
      assert.deepEqual(fs.readFileSync(path.join(B.temp.paths.rootDir, "vstmig7", "root", "big")), big, "the file is whole on B");
      assert.deepEqual(staged(A), [], "the source's archive went once it was sent whole");
      assert.deepEqual(staged(B), []);
      await b.deleteVserver({ name: "vstmig7" });
    } finally {
      relay.kill("SIGKILL");
      await a.deleteVserver({ name: "vstmig7" });
    }
  });

  test("a hostile tree from a fake source (symlink out, a file through it, a device node) touches nothing on the target and leaves nothing there", async () => {
    const canary = fs.mkdtempSync(path.join(os.tmpdir(), "vst-mig-canary-"));
    const certDir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-mig-fake-"));
    const bridgeIp = A.address.replace(/\.\d+$/, ".1");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=fake", "-addext", `subjectAltName=IP:${bridgeIp}`, "-keyout", path.join(certDir, "k"), "-out", path.join(certDir, "c")], { stdio: "ignore" });
    const member = (h: Partial<TarHeader> & Pick<TarHeader, "path" | "type">, data = Buffer.alloc(0)) => [
      encodeHeader({ mode: 0o755, uid: 0, gid: 0, size: data.length, mtime: 0, linkname: Buffer.alloc(0), devmajor: 0, devminor: 0, xattrs: new Map(), ...h }),
      data,
      Buffer.alloc(padding(data.length)),
    ];
    const tar = Buffer.concat([
      ...member({ path: Buffer.from("dev"), type: "dir" }),
      ...member({ path: Buffer.from("dev/sda-of-the-host"), type: "block", mode: 0o666, devmajor: 8, devminor: 0 }),
      ...member({ path: Buffer.from("out"), type: "symlink", linkname: Buffer.from(canary) }),
      ...member({ path: Buffer.from("out/pwned"), type: "file", mode: 0o644 }, Buffer.from("pwned\n")),
      TAR_END,
    ]);
    const config = { domainname: "", nameservers: [], restartPolicy: "never", distribution: null, buildMethod: "busybox", initArgv: ["/sbin/init"], initStyle: null };
    let served = 0;
    const fake = https.createServer({ key: fs.readFileSync(path.join(certDir, "k")), cert: fs.readFileSync(path.join(certDir, "c")) }, (_req, res) => {
      served++;
      res.writeHead(200, {
        "content-length": tar.length,
        [transferHeaders.sha256]: crypto.createHash("sha256").update(tar).digest("hex"),
        [transferHeaders.encoding]: "none",
        [transferHeaders.config]: Buffer.from(JSON.stringify(config)).toString("base64url"),
      });
      res.end(tar);
    });
    await new Promise<void>((r) => fake.listen(0, bridgeIp, r));
    try {
      const port = (fake.address() as { port: number }).port;
      const b = await agentOf(B);
      const ticket = issueTransferTicket("vsthostile", "fake", B.hostId);
      const { operationId } = await b.receiveTransfer({ ticket, source: { endpoint: `https://${bridgeIp}:${port}`, tlsCertPem: fs.readFileSync(path.join(certDir, "c"), "utf8") }, server: { name: "vsthostile", hostname: "hostile.bed.test" } });
      const op = await settled(b, operationId);
      assert.equal(served, 1, "the target pulled from the fake source");
      assert.equal(op.state, "failed", "the tree is refused");
      assert.match(op.error?.message ?? "", /out\/pwned/);
      assert.deepEqual(fs.readdirSync(canary), [], "nothing was written outside the root");
      assert.ok(!(await b.listVservers({})).vservers.some((v) => v.name === "vsthostile"), "no server is left");
      assert.ok(!fs.existsSync(path.join(B.temp.paths.rootDir, "vsthostile")), "no partial root is left");
      assert.ok(!fs.existsSync(path.join(B.temp.paths.confDir, "vsthostile")), "no configuration is left");
      assert.deepEqual(staged(B), [], "no staged file is left");
    } finally {
      fake.close();
      fs.rmSync(canary, { recursive: true, force: true });
      fs.rmSync(certDir, { recursive: true, force: true });
    }
  });

  test("kill -9 of the target agent during the transfer: the job fails, the server is whole and running on A, nothing is left on B; a retry moves it", async () => {
    const row = await runningServer(A, "vstmig2");
    const a = await agentOf(A);
    // Enough data that the source is still archiving or sending when the target dies.
    await a.execInVserver({ name: "vstmig2", argv: ["/bin/sh", "-c", "head -c 200000000 /dev/urandom > /root/big && md5sum /root/big > /root/big.md5 && echo ok"], timeoutMs: 300_000 });
    const sum = (await a.execInVserver({ name: "vstmig2", argv: ["/bin/cat", "/root/big.md5"] })).stdout;
    const { jobId } = await requestMigration(db, admin, row.id, { targetHostId: B.hostId });
    const running = settle(jobId);
    for (let i = 0; i < 600 && !(await jobLog(jobId)).some((l) => / pulls the server | the target pulls it /.test(l)); i++) await new Promise((r) => setTimeout(r, 50));
    await bed!.stopAgent(B, "SIGKILL");
    const job = await running;
    const lines = await jobLog(jobId);
    assert.equal(job.state, "FAILED", lines.join("\n"));
    const kept = await db.vServer.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal(kept.hostId, A.hostId, "the row still points at A");
    assert.equal((await a.getVserver({ name: "vstmig2" })).state, "running", `running again on A\n${lines.join("\n")}`);
    assert.equal((await a.execInVserver({ name: "vstmig2", argv: ["/bin/sh", "-c", "md5sum /root/big"] })).stdout, sum, "its data is whole");

    await bed!.startAgent(B);
    const b = await agentOf(B);
    for (let i = 0; i < 100 && (await b.listVservers({})).vservers.some((v) => v.name === "vstmig2"); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!(await b.listVservers({})).vservers.some((v) => v.name === "vstmig2"), "the half-built copy on B is gone");
    assert.ok(!fs.existsSync(path.join(B.temp.paths.rootDir, "vstmig2")), "no partial root on B");
    assert.deepEqual(staged(B), [], "no partial download on B");

    const retry = await settle((await requestMigration(db, admin, row.id, { targetHostId: B.hostId })).jobId);
    assert.equal(retry.state, "SUCCEEDED", `${retry.error}\n${(await jobLog(retry.id)).join("\n")}`);
    assert.equal((await b.execInVserver({ name: "vstmig2", argv: ["/bin/sh", "-c", "md5sum /root/big"] })).stdout, sum);
    assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: row.id } })).hostId, B.hostId);
    assert.deepEqual(staged(A), [], "the source's archive of the cut transfer is gone too");
  });

  test("kill -9 of the source agent during the transfer: the job fails, nothing is left on B, and when A's agent is back the panel brings the server up there whole", async () => {
    const row = await runningServer(A, "vstmig4");
    let a = await agentOf(A);
    await a.execInVserver({ name: "vstmig4", argv: ["/bin/sh", "-c", "head -c 200000000 /dev/urandom > /root/big && md5sum /root/big > /root/big.md5"], timeoutMs: 300_000 });
    const sum = (await a.execInVserver({ name: "vstmig4", argv: ["/bin/cat", "/root/big.md5"] })).stdout;
    const { jobId } = await requestMigration(db, admin, row.id, { targetHostId: B.hostId });
    const running = settle(jobId);
    for (let i = 0; i < 600 && !(await jobLog(jobId)).some((l) => / pulls the server | the target pulls it /.test(l)); i++) await new Promise((r) => setTimeout(r, 50));
    await bed!.stopAgent(A, "SIGKILL");
    const job = await running;
    assert.equal(job.state, "FAILED", (await jobLog(jobId)).join("\n"));
    assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: row.id } })).hostId, A.hostId, "the row still points at A");
    const b = await agentOf(B);
    assert.ok(!(await b.listVservers({})).vservers.some((v) => v.name === "vstmig4"), "nothing of it on B");
    assert.deepEqual(staged(B), [], "no partial download on B");

    await bed!.startAgent(A);
    await probeHost(db, A.hostId);
    await reconcileHost(db, A.hostId);
    a = await agentOf(A);
    for (let i = 0; i < 100 && (await a.getVserver({ name: "vstmig4" })).state !== "running"; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await a.getVserver({ name: "vstmig4" })).state, "running", "running on A again");
    assert.equal((await a.execInVserver({ name: "vstmig4", argv: ["/bin/sh", "-c", "md5sum /root/big"] })).stdout, sum, "its data is whole");
    assert.deepEqual(staged(A), [], "the source's staged archive is gone");
  });
});
