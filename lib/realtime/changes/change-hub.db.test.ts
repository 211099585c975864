/**
 * Live updates are pushed, not polled (issue 17): 1000 sockets that watch a server and a
 * job make no database reads while nothing changes; a change is read once and reaches
 * every socket once; a job's log lines arrive in order, each once; another tenant's
 * watch is refused and costs the hub nothing; and a write the process never saw (another
 * panel instance: on PostgreSQL its commit's NOTIFY, on SQLite another process's write,
 * found by the slow safety read) still arrives.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { panelSecret, hostCredentialPurpose } from "@/lib/env";
import type { ServerMessage } from "@/lib/protocol/realtime";
import { seal } from "@/lib/security/secret-box";
import type { Actor } from "@/lib/server/actor";
import { appendJobLines } from "@/lib/server/jobs/job-log";
import { SocketWatches } from "../watchers";
import { ChangeHub } from "./change-hub";
import { listenForChanges } from "./pg-change-listener";

process.env.NEXTAUTH_SECRET ??= "change-hub-test-secret-of-enough-length-012345";

const target = databaseTarget();
const tag = crypto.randomBytes(3).toString("hex");
let writer: Db;
let hubDb: Db;
let reads = 0;
let hostId = "";
let serverId = "";
let jobId = "";
let admin: Actor;
let stranger: Actor;
const hubs: ChangeHub[] = [];

const actor = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });

/** A socket that keeps what it was sent. */
function stubSocket(): { emit: (event: string, msg: ServerMessage) => boolean; got: ServerMessage[] } {
  const got: ServerMessage[] = [];
  return { got, emit: (_e, msg) => (got.push(msg), true) };
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

const statesOf = (got: ServerMessage[]) => got.flatMap((m) => (m.type === "server.state" ? [m.status?.state ?? null] : []));
const linesOf = (got: ServerMessage[]) => got.flatMap((m) => (m.type === "job.update" ? m.lines.map((l) => l.text) : []));

before(async () => {
  await migrate(target);
  writer = createDb(target);
  // The hub's own client counts every query it makes.
  hubDb = (createDb(target) as unknown as { $extends(e: unknown): Db }).$extends({
    query: {
      $allModels: {
        $allOperations({ args, query }: { args: unknown; query: (a: unknown) => Promise<unknown> }) {
          reads++;
          return query(args);
        },
      },
    },
  });
  const host = await writer.host.create({ data: { name: `hub-${tag}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, "x") } });
  hostId = host.id;
  const a = await writer.user.create({ data: { email: `hub-admin-${tag}@hub.test`, role: "ADMIN", passwordHash: "x" } });
  const c = await writer.user.create({ data: { email: `hub-cust-${tag}@hub.test`, role: "CUSTOMER", passwordHash: "x" } });
  const o = await writer.user.create({ data: { email: `hub-other-${tag}@hub.test`, role: "CUSTOMER", passwordHash: "x" } });
  admin = actor(a.id, "ADMIN");
  stranger = actor(o.id, "CUSTOMER");
  const server = await writer.vServer.create({ data: { name: `hub${tag}`, contextId: 4200, hostname: "hub.test", hostId, ownerId: c.id, cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 32, state: "STOPPED" } });
  serverId = server.id;
  jobId = (await writer.job.create({ data: { type: "server.start", vserverId: serverId, hostId } })).id;
});

after(async () => {
  for (const h of hubs) h.close();
  await writer.job.deleteMany({ where: { hostId } });
  await writer.vServer.deleteMany({ where: { hostId } });
  await writer.host.delete({ where: { id: hostId } });
  await writer.user.deleteMany({ where: { email: { endsWith: "@hub.test" } } });
  await writer.$disconnect();
  await hubDb.$disconnect();
});

describe("live updates through the change hub", () => {
  const sockets: ReturnType<typeof stubSocket>[] = [];
  let hub: ChangeHub;

  test("1000 sockets watching a server and a job make no reads while nothing changes", async () => {
    hub = new ChangeHub(hubDb, { safetyPollMs: 600_000, settleMs: 100 });
    hubs.push(hub);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          const s = stubSocket();
          sockets.push(s);
          const w = new SocketWatches(s, hubDb, admin, hub);
          await w.watchServer(serverId);
          await w.watchJob(jobId, 0);
        }),
      );
    }
    assert.deepEqual(hub.watched, { jobs: 1, servers: 1 });
    assert.ok(sockets.every((s) => statesOf(s.got).length === 1), "each socket got the server's state once when it began watching");
    await new Promise((r) => setTimeout(r, 50));
    reads = 0;
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(reads, 0, "idle watches read nothing (the old per-socket poll made ~4000 reads a second here)");
  });

  test("a change is read once and reaches every socket once", async () => {
    reads = 0;
    await writer.vServer.update({ where: { id: serverId }, data: { state: "RUNNING" } });
    await until("every socket hears RUNNING", () => sockets.every((s) => statesOf(s.got).at(-1) === "RUNNING"));
    await new Promise((r) => setTimeout(r, 300)); // past the settle read
    assert.ok(reads <= 2, `one read and one settle read for 1000 sockets, not ${reads}`);
    assert.ok(sockets.every((s) => statesOf(s.got).filter((x) => x === "RUNNING").length === 1), "sent once, however often it is read");
  });

  test("a job's log lines arrive in order, each once", async () => {
    await appendJobLines(writer, jobId, ["one", "two"]);
    await appendJobLines(writer, jobId, ["three"]);
    await writer.job.update({ where: { id: jobId }, data: { state: "SUCCEEDED", progress: 100 } });
    await until("every socket has three lines and the end", () => sockets.every((s) => linesOf(s.got).length === 3 && s.got.some((m) => m.type === "job.update" && m.job.state === "SUCCEEDED")));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(sockets.every((s) => linesOf(s.got).join(",") === "one,two,three"));
  });

  test("another tenant's watch is refused and adds nothing to the hub", async () => {
    const s = stubSocket();
    const w = new SocketWatches(s, hubDb, stranger, hub);
    await w.watchServer(serverId);
    await w.watchJob(jobId, 0);
    assert.deepEqual(
      s.got.map((m) => m.type),
      ["error", "error"],
    );
    await w.watchServers([serverId]);
    assert.equal(s.got.length, 2, "a guessed id in a list learns nothing");
  });

  test("a closed socket's watches leave the hub", () => {
    const w = new SocketWatches(stubSocket(), hubDb, admin, hub);
    w.dispose();
    assert.deepEqual(hub.watched, { jobs: 1, servers: 1 });
  });

  test("a write this process never saw still arrives", async () => {
    const s = stubSocket();
    // On PostgreSQL only the commit's NOTIFY can tell (no safety read for 10 min); on
    // SQLite (one panel process) the safety read finds another process's write.
    const postgres = target.provider === "postgresql";
    const other = new ChangeHub(hubDb, { safetyPollMs: postgres ? 600_000 : 300, settleMs: 100 });
    hubs.push(other);
    const stop = postgres ? listenForChanges(target.url) : () => undefined;
    try {
      await new SocketWatches(s, hubDb, admin, other).watchServer(serverId);
      if (postgres) await new Promise((r) => setTimeout(r, 500)); // LISTEN is up
      if (target.provider === "postgresql") {
        const raw = new pg.Client({ connectionString: target.url });
        await raw.connect();
        await raw.query(`UPDATE "VServer" SET "state" = 'STOPPED' WHERE "id" = $1`, [serverId]);
        await raw.end();
      } else {
        const raw = new Database(target.file);
        raw.prepare(`UPDATE "VServer" SET "state" = 'STOPPED' WHERE "id" = ?`).run(serverId);
        raw.close();
      }
      await until("the raw write arrives", () => statesOf(s.got).at(-1) === "STOPPED");
    } finally {
      stop();
    }
  });
});
