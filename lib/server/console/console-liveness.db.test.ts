/**
 * Open consoles on a real database, as the sweep sees them: a support console held by a
 * grant is revoked when the grant runs out or is revoked (and the owner's stays); a
 * suspended server revokes every console; sessions the relaying panel keeps touching
 * stay open, those it stopped touching (its panel crashed) are ended once, at the time
 * they were last seen, with an audit entry, whichever instance finds them.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { RoleName } from "@/lib/auth/roles";
import type { Actor } from "@/lib/server/actor";
import { consoleAbandonedAfterMs, consoleRevocation, endAbandonedConsoleSessions, touchConsoleSessions } from "./console-liveness";
import { grantSupportConsole, revokeSupportConsole } from "./support-console-grants";

let db: Db;
let serverId = "";
const who: Record<string, Actor> = {};

async function user(key: string, role: RoleName, resellerId?: string): Promise<string> {
  const u = await db.user.create({ data: { email: `${key}@liveness.test`, role, passwordHash: "x", resellerId } });
  who[key] = { userId: u.id, role, via: "session", ip: "192.0.2.9", userAgent: "test" };
  return u.id;
}

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  await user("admin", "ADMIN");
  const reseller = await user("reseller", "RESELLER");
  const owner = await user("owner", "CUSTOMER", reseller);
  await user("support", "SUPPORT");
  const host = await db.host.create({ data: { name: "liveness-host", endpoint: "unix:/x", credentialHash: "h", credentialCiphertext: "c" } });
  serverId = (await db.vServer.create({ data: { name: "live1", contextId: 101, hostname: "live1.example.test", hostId: host.id, ownerId: owner, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } })).id;
});
after(async () => {
  await db.$disconnect();
});

test("a support console lasts as long as its grant; the owner's is not touched by it", async () => {
  const t0 = new Date();
  const grant = await grantSupportConsole(db, who.admin!, serverId, { userId: who.support!.userId, minutes: 5 });
  assert.equal(await consoleRevocation(db, who.support!, serverId, t0), null);
  assert.match((await consoleRevocation(db, who.support!, serverId, new Date(t0.getTime() + 6 * 60_000))) ?? "", /not allowed support consoles/, "expired");
  await revokeSupportConsole(db, who.admin!, grant.id);
  assert.match((await consoleRevocation(db, who.support!, serverId, t0)) ?? "", /not allowed support consoles/, "revoked");
  assert.equal(await consoleRevocation(db, who.owner!, serverId, t0), null);
});

test("suspending the server revokes every console, with the reason", async () => {
  await db.vServer.update({ where: { id: serverId }, data: { suspended: true, suspendReason: "unpaid invoice" } });
  try {
    for (const k of ["owner", "reseller", "admin"]) assert.match((await consoleRevocation(db, who[k]!, serverId)) ?? "", /suspended: unpaid invoice/, k);
  } finally {
    await db.vServer.update({ where: { id: serverId }, data: { suspended: false, suspendReason: null } });
  }
});

test("sessions kept touched stay open; abandoned ones end once, when last seen, audited", async () => {
  const start = new Date(Date.now() - 10 * consoleAbandonedAfterMs);
  const make = (id: string) => db.consoleSession.create({ data: { id, vserverId: serverId, userId: who.owner!.userId, ip: "192.0.2.9", startedAt: start, seenAt: start } });
  await make("kept");
  await make("crashed");
  const lastSeen = new Date(start.getTime() + 90_000);
  await db.consoleSession.update({ where: { id: "crashed" }, data: { seenAt: lastSeen } });
  const now = new Date();
  await touchConsoleSessions(db, ["kept"], now);

  assert.equal(await endAbandonedConsoleSessions(db, now), 1);
  const crashed = await db.consoleSession.findUniqueOrThrow({ where: { id: "crashed" } });
  assert.equal(crashed.endedAt?.getTime(), lastSeen.getTime());
  assert.equal((await db.consoleSession.findUniqueOrThrow({ where: { id: "kept" } })).endedAt, null);
  const entries = await db.auditLog.findMany({ where: { action: "console.close" } });
  assert.equal(entries.length, 1);
  assert.match(entries[0]!.details ?? "", /"sessionId":"crashed".*"reason":"lost".*"seconds":90/);

  assert.equal(await endAbandonedConsoleSessions(db, now), 0, "a second instance finds nothing left");
  assert.equal(await db.auditLog.count({ where: { action: "console.close" } }), 1);
  await touchConsoleSessions(db, ["crashed"], now);
  assert.equal((await db.consoleSession.findUniqueOrThrow({ where: { id: "crashed" } })).seenAt.getTime(), lastSeen.getTime(), "an ended session is not touched");
});
