/**
 * Login checks against a real database: right and wrong passwords, unknown users,
 * suspended accounts, and throttling per e-mail and per address (a locked key fails
 * even with the right password). Every attempt is audited.
 */
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { hashPassword } from "@/lib/security/password";
import { authorizeCredentials } from "./authorize-credentials";
import { throttleLimits } from "./throttle";

let db: Db;
const password = "right-password-1";

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
});
after(async () => {
  await db.user.deleteMany({ where: { email: { endsWith: "@throttle.test" } } });
  await db.loginThrottle.deleteMany({});
  await db.$disconnect();
});
beforeEach(async () => {
  await db.loginThrottle.deleteMany({});
});

async function user(email: string, status: "ACTIVE" | "SUSPENDED" = "ACTIVE") {
  return db.user.upsert({
    where: { email },
    create: { email, role: "CUSTOMER", status, passwordHash: await hashPassword(password) },
    update: { status },
  });
}

test("the right password logs in with the role; the e-mail is case-insensitive", async () => {
  const u = await user("ok@throttle.test");
  const r = await authorizeCredentials(db, { email: "OK@throttle.test", password }, "192.0.2.1");
  assert.deepEqual(r, { ok: true, user: { id: u.id, email: u.email, name: "", role: "CUSTOMER", sessionVersion: 0 } });
  const audit = await db.auditLog.findFirstOrThrow({ where: { action: "user.login", actorId: u.id, success: true }, orderBy: { at: "desc" } });
  assert.equal(audit.ip, "192.0.2.1");
});

test("wrong password, unknown user, suspended account and malformed input all fail alike", async () => {
  await user("wrong@throttle.test");
  await user("susp@throttle.test", "SUSPENDED");
  for (const input of [
    { email: "wrong@throttle.test", password: "nope" },
    { email: "nobody@throttle.test", password },
    { email: "susp@throttle.test", password },
    { email: "not-an-email", password },
    { email: "wrong@throttle.test" },
  ]) {
    assert.deepEqual(await authorizeCredentials(db, input, null), { ok: false, reason: "CredentialsSignin" }, JSON.stringify(input));
  }
});

test(`after ${throttleLimits.email} wrong passwords the account is locked, even for the right one`, async () => {
  await user("locked@throttle.test");
  for (let i = 0; i < throttleLimits.email; i++) {
    const r = await authorizeCredentials(db, { email: "locked@throttle.test", password: `guess-${i}` }, null);
    assert.equal(r.ok, false);
  }
  assert.deepEqual(await authorizeCredentials(db, { email: "locked@throttle.test", password }, null), { ok: false, reason: "Throttled" });
  const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: "email:locked@throttle.test" } });
  assert.ok(row.lockedUntil && row.lockedUntil > new Date());
  // When the lock has run out, the right password works again and clears the count.
  await db.loginThrottle.update({ where: { key: row.key }, data: { lockedUntil: new Date(Date.now() - 1000) } });
  assert.equal((await authorizeCredentials(db, { email: "locked@throttle.test", password }, null)).ok, true);
  assert.equal(await db.loginThrottle.count({ where: { key: row.key } }), 0);
});

test(`one address guessing across many accounts is locked after ${throttleLimits.ip} failures`, async () => {
  await user("victim@throttle.test");
  for (let i = 0; i < throttleLimits.ip; i++) {
    await authorizeCredentials(db, { email: `spray${i}@throttle.test`, password: "x" }, "198.51.100.7");
  }
  assert.deepEqual(await authorizeCredentials(db, { email: "victim@throttle.test", password }, "198.51.100.7"), { ok: false, reason: "Throttled" });
  // Another address is not affected.
  assert.equal((await authorizeCredentials(db, { email: "victim@throttle.test", password }, "198.51.100.8")).ok, true);
});
