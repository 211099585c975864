/**
 * Emptying a host (issue 16, drain), without agents: the request is admins' only, puts
 * the host into maintenance and queues one `host.evacuate` job (a second is refused, as is
 * a host with no servers); the job moves the servers by the placement rules, never more
 * than `parallel` at once, each to the host with the most free memory that can take it;
 * a server no host can take and a server whose move failed stay and are named, and the
 * job fails with an event; ending maintenance stops it after the moves under way. The
 * moves themselves are played by a stand-in runner here (the real ones on the three-host
 * bed: evacuate-host.root.test.ts).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { refusal } from "@/lib/testing/refusal";
import type { Actor } from "@/lib/server/actor";
import type { JobContext } from "@/lib/server/jobs/job-context";
import { evacuateHostJob } from "@/lib/server/jobs/handlers/evacuate-host-job";
import { requestHostEvacuation } from "./request-host-evacuation";

process.env.NEXTAUTH_SECRET ??= "evacuation-test-secret-of-enough-length-012345";

let db: Db;
const tag = crypto.randomBytes(3).toString("hex");
let admin: Actor;
let customer: Actor;
let poolId = "";

const actor = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });

const host = (name: string, memoryMb: number) =>
  db.host.create({
    data: { name: `${name}-${tag}`, endpoint: "https://192.0.2.1:7443", credentialHash: "x", credentialCiphertext: "x", tlsCaPem: "-----BEGIN CERTIFICATE-----", status: "ONLINE", cpuCores: 8, memoryMb, maxServers: 10 },
  });

/** A server on `hostId` with an address of the test's pool (so only hosts linked to the pool can take it). */
let nextContext = 100;
async function server(hostId: string, name: string, memoryMb = 64) {
  const s = await db.vServer.create({ data: { name: `${name}${tag}`, hostname: `${name}.t.test`, contextId: nextContext++, hostId, ownerId: customer.userId, state: "RUNNING", cpuMilli: 100, memoryMb, diskMb: 64, pids: 64 } });
  const n = await db.ipAddress.count({ where: { poolId } });
  await db.ipAddress.create({ data: { poolId, family: "IPV4", address: `${(await db.ipPool.findUniqueOrThrow({ where: { id: poolId } })).cidr.split(".").slice(0, 3).join(".")}.${n + 2}`, prefix: 32, vserverId: s.id } });
  return s;
}

/** The context the runner would give the job. */
async function contextOf(jobId: string): Promise<JobContext & { lines: string[] }> {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
  const lines: string[] = [];
  return {
    db,
    job,
    payload: JSON.parse(job.payload) as Record<string, unknown>,
    agent: () => {
      throw new Error("the evacuation talks to no agent itself");
    },
    log: async (...l) => void lines.push(...l),
    progress: async (p) => void (await db.job.update({ where: { id: jobId }, data: { progress: p } })),
    setAgentOperation: async () => undefined,
    lines,
  };
}

/**
 * Plays the moves the evacuation queues, as the runner and `server.migrate` would: each
 * queued move runs for a moment, then the server is on its target (or the move failed,
 * for the servers named in `failing`). Returns the most moves seen under way at once.
 */
function standInRunner(sourceId: string, failing: Set<string>) {
  let stop = false;
  let most = 0;
  const done = (async () => {
    while (!stop) {
      const open = await db.job.findMany({ where: { type: "server.migrate", hostId: sourceId, state: { in: ["QUEUED", "RUNNING"] } } });
      most = Math.max(most, open.length);
      for (const j of open) {
        if (j.state === "QUEUED") {
          await db.job.update({ where: { id: j.id }, data: { state: "RUNNING" } });
          continue;
        }
        const target = JSON.parse(j.payload).targetHostId as string;
        if (failing.has(j.vserverId!)) await db.job.update({ where: { id: j.id }, data: { state: "FAILED", error: "the target agent went away" } });
        else {
          await db.vServer.update({ where: { id: j.vserverId! }, data: { hostId: target } });
          await db.job.update({ where: { id: j.id }, data: { state: "SUCCEEDED" } });
        }
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
  return { most: () => most, stop: async () => ((stop = true), await done) };
}

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  admin = actor((await db.user.create({ data: { email: `evac-admin-${tag}@t.test`, role: "ADMIN", passwordHash: "x" } })).id, "ADMIN");
  customer = actor((await db.user.create({ data: { email: `evac-customer-${tag}@t.test`, role: "CUSTOMER", passwordHash: "x" } })).id, "CUSTOMER");
  const octet = crypto.randomInt(1, 250);
  poolId = (await db.ipPool.create({ data: { name: `evac-pool-${tag}`, family: "IPV4", cidr: `100.67.${octet}.0/24`, assignPrefix: 32 } })).id;
});

after(async () => {
  await db?.$disconnect();
});

test("emptying a host: admins only, maintenance on, one job; servers move by the placement rules, at most `parallel` at once; the ones left are named", async () => {
  const [src, big, small, offline] = [await host("evac-src", 16384), await host("evac-big", 8192), await host("evac-small", 2048), await host("evac-off", 65536)];
  await db.host.update({ where: { id: offline.id }, data: { status: "OFFLINE" } });
  for (const h of [src, big, small, offline]) await db.ipPoolHost.create({ data: { poolId, hostId: h.id } });
  const empty = await host("evac-empty", 4096);

  assert.equal((await refusal(requestHostEvacuation(db, customer, src.id))).code, "NOT_FOUND", "not a customer's");
  assert.equal((await refusal(requestHostEvacuation(db, admin, empty.id))).code, "CONFLICT", "a host without servers");
  assert.equal((await refusal(requestHostEvacuation(db, admin, src.id, { parallel: 9 }))).field, "parallel");
  const local = await db.host.create({ data: { name: `evac-local-${tag}`, endpoint: "unix:/run/vservers/agent.sock", credentialHash: "x", credentialCiphertext: "x", status: "ONLINE", cpuCores: 8, memoryMb: 8192, maxServers: 10 } });
  await server(local.id, "ev-local");
  assert.match((await refusal(requestHostEvacuation(db, admin, local.id))).message, /must listen on TLS \(AGENT_LISTEN\) to be emptied/, "a host others cannot pull from");

  const movers = [await server(src.id, "ev-a"), await server(src.id, "ev-b"), await server(src.id, "ev-c"), await server(src.id, "ev-d")];
  const huge = await server(src.id, "ev-huge", 12288); // more memory than any other online host has
  const doomed = movers[3]!;
  assert.equal(await db.job.count({ where: { hostId: src.id } }), 0, "refusals queued nothing");

  const { jobId } = await requestHostEvacuation(db, admin, src.id, { parallel: 2 });
  assert.equal((await db.host.findUniqueOrThrow({ where: { id: src.id } })).draining, true, "the host is in maintenance");
  assert.equal((await refusal(requestHostEvacuation(db, admin, src.id))).code, "CONFLICT", "a second evacuation while one is queued");
  assert.equal(await db.auditLog.count({ where: { action: "host.evacuate", targetId: src.id } }), 1);

  const runner = standInRunner(src.id, new Set([doomed.id]));
  const ctx = await contextOf(jobId);
  const error = await evacuateHostJob(ctx).then(
    () => null,
    (e: Error) => e,
  );
  await runner.stop();
  assert.ok(error, `the job fails while servers are left:\n${ctx.lines.join("\n")}`);
  assert.match(error.message, new RegExp(`2 server\\(s\\) are still on evac-src-${tag}`));
  assert.match(error.message, new RegExp(`ev-huge${tag} \\(.*evac-big-${tag}: .*memory`), "the huge server is named with each host's reason");
  assert.match(error.message, new RegExp(`ev-d${tag} \\(the target agent went away\\)`), "the failed move is named with its error");
  assert.ok(runner.most() <= 2, `never more than 2 moves at once (saw ${runner.most()})`);

  const placed = await db.vServer.findMany({ where: { id: { in: movers.slice(0, 3).map((m) => m.id) } }, select: { hostId: true } });
  assert.ok(placed.every((p) => p.hostId !== src.id && p.hostId !== offline.id), "the three others moved, none to the offline host");
  assert.equal(placed.filter((p) => p.hostId === big.id).length, 3, "each went to the host with the most free memory");
  assert.equal((await db.vServer.findUniqueOrThrow({ where: { id: huge.id } })).hostId, src.id);
  assert.equal(await db.event.count({ where: { hostId: src.id, type: "host.evacuation_incomplete" } }), 1);
  assert.ok(ctx.lines.some((l) => l.startsWith(`ev-huge${tag} stays: no host can take it`)), ctx.lines.join("\n"));
});

test("ending maintenance stops an evacuation after the moves under way; an emptied host records host.evacuated", async () => {
  const [src, dst] = [await host("evst-src", 16384), await host("evst-dst", 16384)];
  for (const h of [src, dst]) await db.ipPoolHost.create({ data: { poolId, hostId: h.id } });
  for (const n of ["st-a", "st-b", "st-c"]) await server(src.id, n);
  const { jobId } = await requestHostEvacuation(db, admin, src.id, { parallel: 1 });
  const runner = standInRunner(src.id, new Set());
  const ctx = await contextOf(jobId);
  const run = evacuateHostJob(ctx);
  // Once the first move is done, maintenance ends: at most the move under way finishes.
  while (!(await db.job.count({ where: { hostId: src.id, type: "server.migrate", state: "SUCCEEDED" } }))) await new Promise((r) => setTimeout(r, 100));
  await db.host.update({ where: { id: src.id }, data: { draining: false } });
  const result = await run;
  await runner.stop();
  assert.equal(result?.stopped, true, ctx.lines.join("\n"));
  const left = await db.vServer.count({ where: { hostId: src.id } });
  assert.ok(left >= 1 && left <= 2, `one or two servers stay (${left})`);
  assert.ok(ctx.lines.includes("maintenance of the host was ended: no further servers are moved"));

  await db.job.update({ where: { id: jobId }, data: { state: "SUCCEEDED" } }); // what the runner does with the result
  const again = await requestHostEvacuation(db, admin, src.id);
  const runner2 = standInRunner(src.id, new Set());
  const result2 = await evacuateHostJob(await contextOf(again.jobId));
  await runner2.stop();
  assert.equal(result2?.left, 0);
  assert.equal(await db.vServer.count({ where: { hostId: src.id } }), 0);
  assert.equal(await db.event.count({ where: { hostId: src.id, type: "host.evacuated" } }), 1);
});

test("a server whose pool no other host has stays, named; with new addresses allowed it moves, its address marked for a new one from the target's pools", async () => {
  const [src, dst] = [await host("evna-src", 16384), await host("evna-dst", 16384)];
  // The server's pool is the source's alone (the earlier tests' hosts have the shared pool, not this one).
  const own = await db.ipPool.create({ data: { name: `evna-own-${tag}`, family: "IPV4", cidr: `100.69.${crypto.randomInt(1, 250)}.0/24`, assignPrefix: 32 } });
  await db.ipPoolHost.create({ data: { poolId: own.id, hostId: src.id } });
  const other = await db.ipPool.create({ data: { name: `evna-pool-${tag}`, family: "IPV4", cidr: `100.68.${crypto.randomInt(1, 250)}.0/24`, assignPrefix: 32 } });
  await db.ipPoolHost.create({ data: { poolId: other.id, hostId: dst.id } });
  const s = await db.vServer.create({ data: { name: `na-a${tag}`, hostname: "na-a.t.test", contextId: nextContext++, hostId: src.id, ownerId: customer.userId, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } });
  const address = await db.ipAddress.create({ data: { poolId: own.id, family: "IPV4", address: own.cidr.replace(/0\/24$/, "2"), prefix: 32, vserverId: s.id } });

  const first = await requestHostEvacuation(db, admin, src.id);
  const ctx = await contextOf(first.jobId);
  const error = await evacuateHostJob(ctx).then(
    () => null,
    (e: Error) => e,
  );
  assert.ok(error, ctx.lines.join("\n"));
  assert.match(error.message, new RegExp(`na-a${tag} \\(.*${address.address} cannot move to host evna-dst-${tag}: pool evna-own-${tag} is not linked to it`), "it stays, and the job says why");
  assert.equal(await db.job.count({ where: { type: "server.migrate", vserverId: s.id } }), 0, "no move was queued");

  await db.job.update({ where: { id: first.jobId }, data: { state: "FAILED" } }); // what the runner does with the failure
  const second = await requestHostEvacuation(db, admin, src.id, { newAddresses: true });
  assert.equal(JSON.parse((await db.auditLog.findFirstOrThrow({ where: { action: "host.evacuate", targetId: src.id }, orderBy: { at: "desc" } })).details).newAddresses, true, "the choice is audited");
  const runner = standInRunner(src.id, new Set());
  const ctx2 = await contextOf(second.jobId);
  const result = await evacuateHostJob(ctx2);
  await runner.stop();
  assert.equal(result?.left, 0, ctx2.lines.join("\n"));
  const move = await db.job.findFirstOrThrow({ where: { type: "server.migrate", vserverId: s.id } });
  const payload = JSON.parse(move.payload) as { targetHostId: string; replaceAddressIds: string[]; method: string };
  assert.equal(payload.targetHostId, dst.id);
  assert.deepEqual(payload.replaceAddressIds, [address.id], "its address gets a new one from the target's pools (the move takes it)");
  assert.equal(payload.method, "precopy");
  assert.ok(ctx2.lines.some((l) => l.startsWith(`moving na-a${tag} to evna-dst-${tag} with 1 new address(es) from its pools`)), ctx2.lines.join("\n"));
});
