/**
 * Two-factor login against a real database: enrollment (sealed secret, confirmation by
 * code, recovery codes stored as hashes only), login with a code, replays refused (also
 * two in parallel), older codes refused, recovery codes single-use, code guessing
 * throttled like passwords, turning it off (needs a code; refused while required), and
 * the admin's requirements by role and per user, which hold a session at enrollment.
 */
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { AppError } from "@/lib/errors";
import { hashPassword } from "@/lib/security/password";
import { base32Decode, totpCode } from "@/lib/security/totp";
import { authorizeCredentials } from "@/lib/auth/authorize-credentials";
import { liveSession } from "@/lib/auth/session-state";
import { throttleLimits } from "@/lib/auth/throttle";
import type { Actor } from "@/lib/server/actor";
import { beginEnrollment, confirmEnrollment } from "./enrollment";
import { disableOwnTwoFactor, regenerateOwnRecoveryCodes, twoFactorStatus } from "./manage-own";
import { listTwoFactorUsers, resetUserTwoFactor, setTwoFactorRoles, setUserTwoFactorRequired } from "./admin-two-factor";
import { openTotpSecret } from "./totp-secret";
import { verifySecondFactor } from "./verify-second-factor";

let db: Db;
const password = "right-password-1";
process.env.NEXTAUTH_SECRET ??= "two-factor-test-secret-of-enough-length-0123456789";

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
});
after(async () => {
  await db.$disconnect();
});
beforeEach(async () => {
  await db.loginThrottle.deleteMany({});
  await db.setting.deleteMany({});
});

let n = 0;
async function makeUser(role: "ADMIN" | "CUSTOMER" | "RESELLER" | "SUPPORT" = "CUSTOMER") {
  const u = await db.user.create({ data: { email: `tf${++n}-${Date.now()}@2fa.test`, role, passwordHash: await hashPassword(password) } });
  const actor: Actor = { userId: u.id, role, via: "session", ip: null, userAgent: "test" };
  return { ...u, actor };
}

async function rejects(p: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.code, code, e.message);
    if (field) assert.equal(e.field, field);
    return true;
  });
}

/** Enrolls a user; returns its base32 secret and recovery codes. */
async function enroll(actor: Actor): Promise<{ secret: string; codes: string[] }> {
  const start = await beginEnrollment(db, actor);
  const { recoveryCodes } = await confirmEnrollment(db, actor, { code: totpCode(start.secret) });
  return { secret: start.secret, codes: recoveryCodes };
}

const login = (email: string, extra: Record<string, string> = {}, ip: string | null = null) => authorizeCredentials(db, { email, password, ...extra }, ip);
const now = () => Date.now() / 1000;

describe("enrollment", () => {
  test("a new secret is sealed at rest, shown as URI and QR, and not active until a code confirms it", async () => {
    const u = await makeUser();
    const start = await beginEnrollment(db, u.actor);
    assert.match(start.secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(start.secret).length, 20);
    assert.ok(start.uri.startsWith("otpauth://totp/VServer%20Panel:"));
    assert.ok(start.uri.includes(`secret=${start.secret}`));
    assert.ok(start.qrPath.startsWith("M") && start.qrSize > 21);
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    assert.equal(row.totpEnabled, false);
    assert.ok(row.totpSecret && !row.totpSecret.includes(start.secret), "the secret is not stored in clear");
    assert.equal(openTotpSecret(row.totpSecret), start.secret);
    // Not on yet: the password alone still logs in.
    assert.equal((await login(u.email)).ok, true);

    await rejects(confirmEnrollment(db, u.actor, { code: "000000" === totpCode(start.secret) ? "111111" : "000000" }), "BAD_REQUEST", "code");
    await rejects(confirmEnrollment(db, u.actor, {}), "BAD_REQUEST", "code");
    await rejects(confirmEnrollment(db, u.actor, { code: totpCode(start.secret), extra: 1 }), "BAD_REQUEST");
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: u.id } })).totpEnabled, false);

    const { recoveryCodes } = await confirmEnrollment(db, u.actor, { code: totpCode(start.secret) });
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    for (const c of recoveryCodes) assert.match(c, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const stored = await db.recoveryCode.findMany({ where: { userId: u.id } });
    assert.equal(stored.length, 10);
    for (const s of stored) assert.ok(!recoveryCodes.some((c) => s.codeHash.includes(c.replace("-", ""))), "codes are stored hashed");
    const after = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    assert.equal(after.totpEnabled, true);
    assert.ok(after.totpEnabledAt);
    assert.ok(await db.auditLog.findFirst({ where: { action: "user.2fa.enable", targetId: u.id, success: true } }));
    // A second enrollment over an active one is refused (it would lock out the current app).
    await rejects(beginEnrollment(db, u.actor), "CONFLICT");
  });

  test("an API token actor cannot manage two-factor login", async () => {
    const u = await makeUser("RESELLER");
    await rejects(beginEnrollment(db, { ...u.actor, via: "token", tokenId: "t" }), "FORBIDDEN");
  });
});

describe("login with a second factor", () => {
  test("the right password asks for the code; a wrong code fails; the right one logs in", async () => {
    const u = await makeUser();
    const { secret } = await enroll(u.actor);
    assert.deepEqual(await login(u.email), { ok: false, reason: "TwoFactorRequired" });
    assert.deepEqual(await login(u.email, { code: "" }), { ok: false, reason: "TwoFactorRequired" });
    const wrong = totpCode(secret, now() + 300);
    assert.deepEqual(await login(u.email, { code: wrong }), { ok: false, reason: "TwoFactorInvalid" });
    assert.deepEqual(await login(u.email, { code: "not-a-code" }), { ok: false, reason: "TwoFactorInvalid" });
    // A wrong password with the right code is still a wrong password.
    assert.deepEqual(await authorizeCredentials(db, { email: u.email, password: "nope", code: totpCode(secret) }, null), { ok: false, reason: "CredentialsSignin" });
    const ok = await login(u.email, { code: totpCode(secret, now() + 30) });
    assert.equal(ok.ok, true);
    const failures = await db.auditLog.findMany({ where: { action: "user.login", actorId: u.id, success: false } });
    assert.deepEqual(failures.map((a) => (JSON.parse(a.details) as { reason: string }).reason).sort(), ["wrong code", "wrong code", "wrong password"]);
  });

  test("a code works once: a replay and an older code are refused, a newer one works", async () => {
    const u = await makeUser();
    const { secret } = await enroll(u.actor);
    const t = now();
    const current = totpCode(secret, t);
    // The enrollment's confirmation used the current step already.
    assert.deepEqual(await login(u.email, { code: current }), { ok: false, reason: "TwoFactorInvalid" }, "the code of the confirmation is spent");
    const next = totpCode(secret, t + 30);
    assert.equal((await login(u.email, { code: next })).ok, true);
    assert.deepEqual(await login(u.email, { code: next }), { ok: false, reason: "TwoFactorInvalid" }, "replay");
    assert.deepEqual(await login(u.email, { code: totpCode(secret, t - 30) }), { ok: false, reason: "TwoFactorInvalid" }, "older step");
  });

  test("of two parallel uses of one code exactly one wins", async () => {
    const u = await makeUser();
    const { secret } = await enroll(u.actor);
    const user = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    const code = totpCode(secret, now() + 30);
    const results = await Promise.all(Array.from({ length: 6 }, () => verifySecondFactor(db, user, code, null)));
    assert.equal(results.filter((r) => r === "totp").length, 1, results.join(","));
  });

  test("a recovery code logs in once, and is audited", async () => {
    const u = await makeUser();
    const { codes } = await enroll(u.actor);
    assert.equal((await login(u.email, { code: codes[0]!.toLowerCase() })).ok, true, "case and dash do not matter");
    assert.deepEqual(await login(u.email, { code: codes[0]! }), { ok: false, reason: "TwoFactorInvalid" });
    assert.equal(await db.recoveryCode.count({ where: { userId: u.id } }), 9);
    assert.ok(await db.auditLog.findFirst({ where: { action: "user.2fa.recovery-used", actorId: u.id } }));
    // Another user's recovery code is worthless here.
    const other = await makeUser();
    const theirs = await enroll(other.actor);
    assert.deepEqual(await login(u.email, { code: theirs.codes[0]! }), { ok: false, reason: "TwoFactorInvalid" });
  });

  test(`after ${throttleLimits.email} wrong codes the second factor is locked, even for the right code`, async () => {
    const u = await makeUser();
    const { secret } = await enroll(u.actor);
    const wrong = totpCode(secret, now() + 600);
    for (let i = 0; i < throttleLimits.email; i++) assert.equal((await login(u.email, { code: wrong })).ok, false);
    assert.deepEqual(await login(u.email, { code: totpCode(secret, now() + 30) }), { ok: false, reason: "Throttled" });
    const row = await db.loginThrottle.findUniqueOrThrow({ where: { key: `totp:${u.id}` } });
    await db.loginThrottle.update({ where: { key: row.key }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    assert.equal((await login(u.email, { code: totpCode(secret, now() + 30) })).ok, true);
    assert.equal(await db.loginThrottle.count({ where: { key: row.key } }), 0, "success clears the count");
  });

  test("wrong codes also count against the client address", async () => {
    const u = await makeUser();
    const { secret } = await enroll(u.actor);
    await login(u.email, { code: totpCode(secret, now() + 900) }, "203.0.113.9");
    const ip = await db.loginThrottle.findUniqueOrThrow({ where: { key: "ip:203.0.113.9" } });
    assert.equal(ip.failures, 1);
  });
});

describe("managing it", () => {
  test("turning it off needs a valid code; new recovery codes replace the old ones", async () => {
    const u = await makeUser();
    const { secret, codes } = await enroll(u.actor);
    await rejects(disableOwnTwoFactor(db, u.actor, { code: "123" }), "BAD_REQUEST", "code");
    const fresh = await regenerateOwnRecoveryCodes(db, u.actor, { code: totpCode(secret, now() + 30) });
    assert.equal(fresh.recoveryCodes.length, 10);
    assert.deepEqual(await login(u.email, { code: codes[1]! }), { ok: false, reason: "TwoFactorInvalid" }, "old codes are void");
    await disableOwnTwoFactor(db, u.actor, { code: fresh.recoveryCodes[0]! });
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    assert.deepEqual([row.totpEnabled, row.totpSecret, row.totpLastStep], [false, null, null]);
    assert.equal(await db.recoveryCode.count({ where: { userId: u.id } }), 0);
    assert.equal((await login(u.email)).ok, true, "the password alone logs in again");
    assert.deepEqual(await twoFactorStatus(db, u.actor), { enabled: false, enabledAt: null, required: false, recoveryCodesLeft: 0 });
  });

  test("an admin requires it by role: a customer without it is held at enrollment, and cannot turn it off once on", async () => {
    const admin = await makeUser("ADMIN");
    const u = await makeUser("CUSTOMER");
    const reseller = await makeUser("RESELLER");
    const claims = { uid: u.id, sv: 0, loginAt: Date.now() };
    assert.deepEqual(await liveSession(db, claims), { role: "CUSTOMER", twoFactor: "ok" });
    await rejects(setTwoFactorRoles(db, reseller.actor, { roles: ["CUSTOMER"] }), "NOT_FOUND");
    await rejects(setTwoFactorRoles(db, admin.actor, { roles: ["NOBODY"] }), "BAD_REQUEST", "roles.0");
    assert.deepEqual(await setTwoFactorRoles(db, admin.actor, { roles: ["CUSTOMER"] }), ["CUSTOMER"]);
    assert.deepEqual(await liveSession(db, claims), { role: "CUSTOMER", twoFactor: "enroll" });
    assert.deepEqual(await liveSession(db, { uid: reseller.id, sv: 0, loginAt: Date.now() }), { role: "RESELLER", twoFactor: "ok" });
    // The password still logs in (the session is then held at enrollment).
    assert.equal((await login(u.email)).ok, true);
    const { secret } = await enroll(u.actor);
    assert.deepEqual(await liveSession(db, claims), { role: "CUSTOMER", twoFactor: "ok" });
    await rejects(disableOwnTwoFactor(db, u.actor, { code: totpCode(secret, now() + 30) }), "FORBIDDEN");
    assert.equal((await twoFactorStatus(db, u.actor)).required, true);
    assert.ok(await db.auditLog.findFirst({ where: { action: "security.2fa-roles" } }));
  });

  test("an admin requires it of one user, and resets a user who lost the app (its sessions end)", async () => {
    const admin = await makeUser("ADMIN");
    const u = await makeUser("RESELLER");
    const other = await makeUser("RESELLER");
    await rejects(setUserTwoFactorRequired(db, other.actor, u.id, true), "NOT_FOUND");
    await rejects(setUserTwoFactorRequired(db, admin.actor, "no-such-user", true), "NOT_FOUND");
    await setUserTwoFactorRequired(db, admin.actor, u.id, true);
    assert.equal((await liveSession(db, { uid: u.id, sv: 0, loginAt: Date.now() }))?.twoFactor, "enroll");
    assert.equal((await liveSession(db, { uid: other.id, sv: 0, loginAt: Date.now() }))?.twoFactor, "ok");
    await enroll(u.actor);
    await rejects(resetUserTwoFactor(db, other.actor, u.id), "NOT_FOUND");
    await resetUserTwoFactor(db, admin.actor, u.id);
    const row = await db.user.findUniqueOrThrow({ where: { id: u.id } });
    assert.deepEqual([row.totpEnabled, row.totpSecret, row.sessionVersion], [false, null, 1]);
    assert.equal(await liveSession(db, { uid: u.id, sv: 0, loginAt: Date.now() }), null, "old sessions are void");
    const page = await listTwoFactorUsers(db, admin.actor, { q: u.email });
    assert.deepEqual(page.items.map((x) => [x.email, x.totpEnabled, x.twoFactorRequired]), [[u.email, false, true]]);
    await rejects(listTwoFactorUsers(db, other.actor), "NOT_FOUND");
  });
});
