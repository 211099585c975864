/**
 * The usage tail reads once per watched server per round, not once per socket (issue
 * 17): 200 sockets watching two servers of one host cost one database query and one
 * agent call a round (the agent is a stand-in on loopback that answers
 * getUsageSamples and counts calls), and each socket gets its server's sample; a server
 * that is deleted ends its watches; a server given to another customer stops reaching
 * the old owner's socket at the next permission round.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { panelSecret, hostCredentialPurpose } from "@/lib/env";
import type { ServerMessage } from "@/lib/protocol/realtime";
import { seal } from "@/lib/security/secret-box";
import type { Actor } from "@/lib/server/actor";
import { UsageTail, type UsageWatch } from "./usage-tail";

process.env.NEXTAUTH_SECRET ??= "usage-tail-test-secret-of-enough-length-012345";

const tag = crypto.randomBytes(3).toString("hex");
let db: Db;
let queries = 0;
let agentCalls = 0;
let fakeAgent: http.Server;
let hostId = "";
const serverIds: string[] = [];
let owner: Actor;

before(async () => {
  await migrate(databaseTarget());
  const plain = createDb();
  db = (plain as unknown as { $extends(e: unknown): Db }).$extends({
    query: {
      $allModels: {
        $allOperations({ args, query }: { args: unknown; query: (a: unknown) => Promise<unknown> }) {
          queries++;
          return query(args);
        },
      },
    },
  });
  fakeAgent = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      agentCalls++;
      const names = (JSON.parse(body || "{}") as { names?: string[] }).names ?? [];
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, result: { interval: 10, host: null, servers: names.map((name) => ({ name, at: 1_800_000_000, values: { cpu: 0.5 } })) } }));
    });
  });
  await new Promise<void>((r) => fakeAgent.listen(0, "127.0.0.1", r));
  const port = (fakeAgent.address() as AddressInfo).port;
  const host = await db.host.create({ data: { name: `tail-${tag}`, endpoint: `http://127.0.0.1:${port}`, status: "ONLINE", credentialHash: "x", credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, "x") } });
  hostId = host.id;
  const c = await db.user.create({ data: { email: `tail-cust-${tag}@tail.test`, role: "CUSTOMER", passwordHash: "x" } });
  owner = { userId: c.id, role: "CUSTOMER", via: "session", ip: null, userAgent: null };
  for (const n of [0, 1]) {
    const s = await db.vServer.create({ data: { name: `tail${tag}${n}`, contextId: 4300 + n, hostname: "tail.test", hostId, ownerId: c.id, cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 32, state: "RUNNING" } });
    serverIds.push(s.id);
  }
});

after(async () => {
  await new Promise<void>((r) => fakeAgent.close(() => r()));
  await db.vServer.deleteMany({ where: { hostId } });
  await db.host.delete({ where: { id: hostId } });
  await db.user.deleteMany({ where: { email: { endsWith: "@tail.test" } } });
  await db.$disconnect();
});

function watcher(actor: Actor): UsageWatch & { got: ServerMessage[]; over: boolean } {
  const w = { got: [] as ServerMessage[], over: false, actor, send: (m: ServerMessage) => void w.got.push(m), ended: () => void (w.over = true) };
  return w;
}

describe("the usage tail", () => {
  test("200 sockets on two servers: one query and one agent call a round, each gets its own server's sample", async () => {
    const tail = new UsageTail(db, 3_600_000, 1000);
    try {
      const watches = Array.from({ length: 200 }, (_, i) => {
        const w = watcher(owner);
        tail.add(serverIds[i % 2]!, w);
        return { w, serverId: serverIds[i % 2]! };
      });
      queries = 0;
      agentCalls = 0;
      await tail.tick();
      assert.equal(queries, 1, "one database query for all watched servers");
      assert.equal(agentCalls, 1, "one agent call for the host");
      for (const { w, serverId } of watches) {
        assert.equal(w.got.length, 1);
        const m = w.got[0]!;
        assert.ok(m.type === "usage.sample" && m.serverId === serverId && m.sample?.values.cpu === 0.5, JSON.stringify(m));
      }
    } finally {
      tail.close();
    }
  });

  test("a deleted server ends its watches; a server given away stops reaching the old owner", async () => {
    const tail = new UsageTail(db, 3_600_000, 2);
    try {
      const gone = watcher(owner);
      const given = watcher(owner);
      tail.add(serverIds[0]!, gone);
      tail.add(serverIds[1]!, given);
      await db.vServer.delete({ where: { id: serverIds[0]! } });
      const other = await db.user.create({ data: { email: `tail-other-${tag}@tail.test`, role: "CUSTOMER", passwordHash: "x" } });
      await db.vServer.update({ where: { id: serverIds[1]! }, data: { ownerId: other.id } });
      await tail.tick(); // round 1: samples; the deleted server's watch ends
      assert.equal(gone.over, true);
      assert.ok(gone.got.some((m) => m.type === "error" && m.message === "Server not found"));
      await tail.tick(); // round 2: the permission round
      assert.equal(given.over, true, "the old owner's watch ended");
      const before = given.got.length;
      await tail.tick();
      assert.equal(given.got.length, before, "nothing more reaches the old owner");
      assert.equal(tail.watched, 0);
    } finally {
      tail.close();
    }
  });
});
