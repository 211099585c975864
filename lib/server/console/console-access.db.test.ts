/**
 * Console authorization and tickets on a real database: the owner, its reseller and
 * admins may; another customer or reseller gets a 404; support only with the customer's
 * consent or an admin's grant in force (expired and revoked grants do not count); API
 * tokens never; a stopped or suspended server says why. Tickets redeem once, only on
 * their user's socket, only while access still holds; every outcome is audited, and the
 * session's end is recorded once. Grants are admin-only and audited.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import type { RoleName } from "@/lib/auth/roles";
import type { Actor } from "@/lib/server/actor";
import { consoleServerOrThrow } from "./console-access";
import { consoleIdleMinutes, CONSOLE_IDLE_SETTING } from "./console-settings";
import { newTicketNonce, signConsoleTicket } from "./console-ticket";
import { endConsoleSession } from "./end-console-session";
import { issueConsoleTicket } from "./issue-console-ticket";
import { redeemConsoleTicket } from "./redeem-console-ticket";
import { grantSupportConsole, listActiveGrants, revokeSupportConsole } from "./support-console-grants";

let db: Db;
const who: Record<string, Actor> = {};
let serverId = "";

function actor(id: string, role: RoleName, via: Actor["via"] = "session"): Actor {
  return { userId: id, role, via, ip: "192.0.2.7", userAgent: "test" };
}

async function user(key: string, role: RoleName, extra: { resellerId?: string; allowSupportConsole?: boolean } = {}): Promise<string> {
  const u = await db.user.create({ data: { email: `${key}@example.com`, role, passwordHash: "x", ...extra } });
  who[key] = actor(u.id, role);
  return u.id;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

before(async () => {
  process.env.NEXTAUTH_SECRET = "t".repeat(48);
  await migrate(databaseTarget());
  db = createDb();
  await user("admin", "ADMIN");
  const reseller = await user("reseller", "RESELLER");
  await user("reseller2", "RESELLER");
  const owner = await user("owner", "CUSTOMER", { resellerId: reseller });
  await user("other", "CUSTOMER");
  await user("support", "SUPPORT");
  await user("support2", "SUPPORT");
  const host = await db.host.create({ data: { name: "console-host", endpoint: "unix:/x", credentialHash: "h", credentialCiphertext: "c" } });
  serverId = (await db.vServer.create({ data: { name: "con1", contextId: 100, hostname: "con1.example.test", hostId: host.id, ownerId: owner, state: "RUNNING", cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 64 } })).id;
});
after(async () => {
  await db.$disconnect();
});

test("owner, its reseller and admins may; other tenants get a 404; API tokens never", async () => {
  for (const k of ["owner", "reseller", "admin"]) assert.equal(await code(consoleServerOrThrow(db, who[k]!, serverId)), "OK", k);
  for (const k of ["other", "reseller2"]) assert.equal(await code(consoleServerOrThrow(db, who[k]!, serverId)), "NOT_FOUND", k);
  assert.equal(await code(consoleServerOrThrow(db, { ...who.owner!, via: "token", tokenId: "t1" }, serverId)), "FORBIDDEN");
});

test("support needs the customer's consent or an admin's grant in force", async () => {
  const support = who.support!;
  assert.equal(await code(consoleServerOrThrow(db, support, serverId)), "FORBIDDEN");
  await db.user.update({ where: { id: who.owner!.userId }, data: { allowSupportConsole: true } });
  assert.equal(await code(consoleServerOrThrow(db, support, serverId)), "OK");
  await db.user.update({ where: { id: who.owner!.userId }, data: { allowSupportConsole: false } });

  assert.equal(await code(grantSupportConsole(db, who.reseller!, serverId, { userId: support.userId, minutes: 30 })), "FORBIDDEN", "only admins grant");
  assert.equal(await code(grantSupportConsole(db, who.admin!, serverId, { userId: who.owner!.userId, minutes: 30 })), "NOT_FOUND", "only to support users");
  assert.equal(await code(grantSupportConsole(db, who.admin!, serverId, { userId: support.userId, minutes: 100_000 })), "BAD_REQUEST");
  const now = new Date();
  const grant = await grantSupportConsole(db, who.admin!, serverId, { userId: support.userId, minutes: 30, reason: "ticket 42" }, now);
  assert.equal(await code(consoleServerOrThrow(db, support, serverId)), "OK");
  assert.equal(await code(consoleServerOrThrow(db, who.support2!, serverId)), "FORBIDDEN", "a grant is for one support user");
  assert.equal(await code(consoleServerOrThrow(db, support, serverId, new Date(now.getTime() + 31 * 60_000))), "FORBIDDEN", "expired");
  assert.deepEqual((await listActiveGrants(db, who.admin!, serverId)).map((g) => [g.userEmail, g.reason]), [["support@example.com", "ticket 42"]]);
  assert.deepEqual(await listActiveGrants(db, who.owner!, serverId), []);
  await revokeSupportConsole(db, who.admin!, grant.id);
  assert.equal(await code(consoleServerOrThrow(db, support, serverId)), "FORBIDDEN", "revoked");
  assert.deepEqual(
    (await db.auditLog.findMany({ where: { action: { in: ["console.grant", "console.revoke"] } }, orderBy: { at: "asc" } })).map((a) => a.action),
    ["console.grant", "console.revoke"],
  );
});

test("a stopped or suspended server says why", async () => {
  await db.vServer.update({ where: { id: serverId }, data: { state: "STOPPED" } });
  await assert.rejects(consoleServerOrThrow(db, who.owner!, serverId), /stopped/);
  await db.vServer.update({ where: { id: serverId }, data: { state: "RUNNING", suspended: true, suspendReason: "unpaid invoice" } });
  await assert.rejects(consoleServerOrThrow(db, who.owner!, serverId), /suspended: unpaid invoice/);
  await db.vServer.update({ where: { id: serverId }, data: { suspended: false, suspendReason: null } });
});

test("a ticket redeems once, on its own user's socket, while access holds; all audited", async () => {
  const owner = who.owner!;
  const { ticket } = await issueConsoleTicket(db, owner, serverId);
  assert.equal(await code(redeemConsoleTicket(db, who.admin!, ticket)), "UNAUTHORIZED", "another user's socket");
  const opened = await redeemConsoleTicket(db, owner, ticket);
  assert.equal(opened.server.name, "con1");
  assert.equal(opened.host.endpoint, "unix:/x");
  assert.equal(await code(redeemConsoleTicket(db, owner, ticket)), "CONFLICT", "used twice");
  const row = await db.consoleSession.findUniqueOrThrow({ where: { id: opened.sessionId } });
  assert.equal(row.ip, "192.0.2.7");
  assert.equal(row.endedAt, null);

  const late = await issueConsoleTicket(db, owner, serverId);
  assert.equal(await code(redeemConsoleTicket(db, owner, late.ticket, Date.now() + 61_000)), "UNAUTHORIZED", "expired");
  const stale = await issueConsoleTicket(db, owner, serverId);
  await db.vServer.update({ where: { id: serverId }, data: { state: "STOPPED" } });
  assert.equal(await code(redeemConsoleTicket(db, owner, stale.ticket)), "CONFLICT", "stopped since the ticket was issued");
  await db.vServer.update({ where: { id: serverId }, data: { state: "RUNNING" } });
  const forged = signConsoleTicket("f".repeat(48), { nonce: newTicketNonce(), userId: owner.userId, serverId, expiresAt: Date.now() + 30_000 });
  assert.equal(await code(redeemConsoleTicket(db, owner, forged)), "UNAUTHORIZED");
  assert.equal(await code(issueConsoleTicket(db, who.other!, serverId)), "NOT_FOUND");

  await endConsoleSession(db, owner, opened.sessionId, { reason: "idle", message: "no input for 30 minutes" });
  await endConsoleSession(db, owner, opened.sessionId, { reason: "closed", message: "again" });
  const ended = await db.consoleSession.findUniqueOrThrow({ where: { id: opened.sessionId } });
  assert.ok(ended.endedAt && ended.endedAt >= ended.startedAt);
  const audit = await db.auditLog.findMany({ where: { action: { in: ["console.open", "console.close"] } }, orderBy: { at: "asc" } });
  assert.deepEqual(
    audit.map((a) => [a.action, a.success]),
    [
      ["console.open", false],
      ["console.open", true],
      ["console.open", false],
      ["console.open", false],
      ["console.open", false],
      ["console.open", false],
      ["console.close", true],
    ],
  );
  assert.match(audit.at(-1)!.details, /"reason":"idle"/);
  assert.equal(await db.consoleSession.count(), 1, "refused tickets leave no session");
});

test("the idle limit comes from the Setting row, then the environment, then 30 minutes", async () => {
  assert.equal(await consoleIdleMinutes(db, {}), 30);
  assert.equal(await consoleIdleMinutes(db, { CONSOLE_IDLE_MINUTES: "5" }), 5);
  assert.equal(await consoleIdleMinutes(db, { CONSOLE_IDLE_MINUTES: "0" }), 30);
  await db.setting.create({ data: { key: CONSOLE_IDLE_SETTING, value: "12" } });
  assert.equal(await consoleIdleMinutes(db, { CONSOLE_IDLE_MINUTES: "5" }), 12);
});
