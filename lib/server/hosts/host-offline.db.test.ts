/**
 * A host that does not answer never holds a page or an API call (issue 16, "hosts that
 * are down"): against an endpoint that accepts connections and never replies, a read
 * gives up at the page bound and says so; once the panel knows the host is offline
 * (a probe failed: one host.offline event, not one per probe), reads answer without
 * asking it (no new connection) and name the age of its last answer, and changes are
 * refused with HOST_OFFLINE before anything is recorded — no job, no new desired state.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import { panelSecret, hostCredentialPurpose } from "@/lib/env";
import { seal } from "@/lib/security/secret-box";
import type { Actor } from "@/lib/server/actor";
import { listProcesses } from "@/lib/server/support/list-processes";
import { readServerHistory } from "@/lib/server/usage/read-server-history";
import { readServerUsage } from "@/lib/server/vservers/read-usage";
import { requestPower } from "@/lib/server/vservers/request-power";
import { pageReadTimeoutMs } from "./host-offline";
import { probeHost } from "./probe-host";

process.env.NEXTAUTH_SECRET ??= "host-offline-test-secret-of-enough-length-0123";

let db: Db;
const tag = crypto.randomBytes(3).toString("hex");
let blackHole: net.Server;
const sockets = new Set<net.Socket>();
let connections = 0;
let hostId = "";
let serverId = "";
let customer: Actor;
let support: Actor;

const actor = (userId: string, role: Actor["role"]): Actor => ({ userId, role, via: "session", ip: null, userAgent: null });

async function rejects(p: Promise<unknown>, code: string): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, `expected AppError ${code}, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  // Accepts and never answers: the worst case of a host that went away (a dropped route,
  // a hung agent), where only a timeout ends the wait.
  blackHole = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
  const port = (blackHole.address() as AddressInfo).port;
  const host = await db.host.create({
    data: { name: `off-${tag}`, endpoint: `http://127.0.0.1:${port}`, status: "ONLINE", lastSeenAt: new Date(Date.now() - 5 * 60_000), credentialHash: "x", credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, "x") },
  });
  hostId = host.id;
  const c = await db.user.create({ data: { email: `off-cust-${tag}@offline.test`, role: "CUSTOMER", passwordHash: "x" } });
  const s = await db.user.create({ data: { email: `off-sup-${tag}@offline.test`, role: "SUPPORT", passwordHash: "x" } });
  customer = actor(c.id, "CUSTOMER");
  support = actor(s.id, "SUPPORT");
  const server = await db.vServer.create({
    data: { name: `off${tag}`, contextId: 4100, hostname: "off.test", hostId, ownerId: c.id, cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 32, state: "STOPPED", desiredState: "STOPPED" },
  });
  serverId = server.id;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => blackHole.close(() => r()));
  await db.vServer.deleteMany({ where: { hostId } });
  await db.event.deleteMany({ where: { hostId } });
  await db.host.delete({ where: { id: hostId } });
  await db.user.deleteMany({ where: { email: { endsWith: "@offline.test" } } });
  await db.$disconnect();
});

describe("a host that stops answering", () => {
  test("a read of a host thought online gives up at the page bound and says so", async () => {
    const before = connections;
    const { usage, error } = await readServerUsage(db, { name: `off${tag}`, hostId });
    assert.equal(usage, null);
    assert.match(error ?? "", new RegExp(`within ${pageReadTimeoutMs} ms`));
    assert.ok(pageReadTimeoutMs <= 2000, "a page never waits more than 2 s for a host");
    assert.equal(connections, before + 1, "the read did reach the endpoint");
  });

  test("a failed probe marks it offline with one host.offline event, however often it fails", async () => {
    const first = await probeHost(db, hostId, 300);
    const second = await probeHost(db, hostId, 300);
    assert.equal(first.online, false);
    assert.equal(second.online, false);
    const host = await db.host.findUniqueOrThrow({ where: { id: hostId } });
    assert.equal(host.status, "OFFLINE");
    assert.equal(await db.event.count({ where: { hostId, type: "host.offline" } }), 1);
  });

  test("reads of an offline host answer without asking it and name the age of its last answer", async () => {
    const before = connections;
    const { usage, error } = await readServerUsage(db, { name: `off${tag}`, hostId });
    assert.equal(usage, null);
    assert.match(error ?? "", /offline \(last answered 5 min ago\): showing what was last known/);
    const history = await rejects(readServerHistory(db, customer, serverId, { from: Date.now() - 3600_000, to: Date.now() }), "HOST_OFFLINE");
    assert.equal(history.status, 503);
    const procs = await listProcesses(db, support, { hostId });
    assert.deepEqual(procs.unreachable.length, 1);
    assert.equal(connections, before, "no connection was made to the offline host");
  });

  test("a change on an offline host is refused before anything is recorded", async () => {
    const jobsBefore = await db.job.count({ where: { vserverId: serverId } });
    const before = connections;
    const error = await rejects(requestPower(db, customer, serverId, "start"), "HOST_OFFLINE");
    assert.match(error.message, /nothing was changed/);
    assert.equal(await db.job.count({ where: { vserverId: serverId } }), jobsBefore, "no job queued");
    const row = await db.vServer.findUniqueOrThrow({ where: { id: serverId } });
    assert.equal(row.desiredState, "STOPPED", "the desired state is not changed");
    assert.equal(connections, before);
  });

  test("another tenant still gets 404, not the host's state", async () => {
    const other = await db.user.create({ data: { email: `off-other-${tag}@offline.test`, role: "CUSTOMER", passwordHash: "x" } });
    await rejects(requestPower(db, actor(other.id, "CUSTOMER"), serverId, "start"), "NOT_FOUND");
  });
});
