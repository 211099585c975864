/**
 * Session revocation and expiry against a real database, through the jwt and session
 * callbacks the panel gives next-auth (lib/auth/session-callbacks): a token stands only while the
 * user is active, its session version unchanged (a password change, a reset by an
 * admin, a suspension and "sign out everywhere" each end it at the next request, with
 * no grace period) and the login younger than the absolute lifetime.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { JWT } from "next-auth/jwt";
import { db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { hashPassword } from "@/lib/security/password";
import type { Actor } from "@/lib/server/actor";
import { signOutEverywhere } from "@/lib/server/sessions/sign-out-everywhere";
import { changeOwnPassword, resetPassword } from "@/lib/server/users/set-password";
import { setUserStatus } from "@/lib/server/users/set-user-status";
import { sessionMaxAgeSeconds } from "./options";
import type { RoleName } from "./roles";
import { jwtCallback, sessionCallback } from "./session-callbacks";
import { liveSession, liveSessions, sessionLifetimeSeconds } from "./session-state";

process.env.NEXTAUTH_SECRET ??= "session-test-secret-of-enough-length-0123456789";

before(async () => {
  await migrate(databaseTarget());
});
after(async () => {
  await db().$disconnect();
});

let n = 0;
async function makeUser(role: "ADMIN" | "CUSTOMER" = "CUSTOMER") {
  const u = await db().user.create({ data: { email: `sess${++n}@session.test`, role, passwordHash: await hashPassword("old-password-1") } });
  const actor: Actor = { userId: u.id, role, via: "session", ip: null, userAgent: "test" };
  return { ...u, actor };
}

/** Runs the configured jwt callback as next-auth does on a request carrying `token`. */
async function request(token: JWT): Promise<JWT> {
  return (await jwtCallback({ token, user: undefined as never, account: null, trigger: undefined })) as JWT;
}

/** A token as issued at login for this user. */
async function loginToken(user: { id: string; email: string; role: RoleName; sessionVersion: number }): Promise<JWT> {
  const identity = { id: user.id, email: user.email, name: "", role: user.role, sessionVersion: user.sessionVersion };
  return (await jwtCallback({ token: { email: user.email }, user: identity as never, account: null, trigger: "signIn" })) as JWT;
}

async function sessionOf(token: JWT) {
  return sessionCallback({ session: { expires: "x" } as never, token, user: undefined as never, newSession: undefined, trigger: "update" } as never);
}

test("a fresh login token carries the user, its version and the login time, and stands", async () => {
  const u = await makeUser();
  const token = await loginToken(u);
  assert.equal(token.uid, u.id);
  assert.equal(token.sv, 0);
  assert.ok(typeof token.loginAt === "number" && Math.abs(token.loginAt - Date.now()) < 5000);
  const again = await request(token);
  assert.equal(again.revoked, undefined);
  assert.equal(again.twoFactor, "ok");
  const session = (await sessionOf(again)) as { user?: { id: string; role: string }; twoFactor?: string };
  assert.deepEqual([session.user?.id, session.user?.role, session.twoFactor], [u.id, "CUSTOMER", "ok"]);
});

test("a password change ends every existing session at its very next request", async () => {
  const u = await makeUser();
  const token = await loginToken(u);
  await changeOwnPassword(db(), u.actor, { currentPassword: "old-password-1", newPassword: "new-password-22" });
  const after = await request(token);
  assert.deepEqual(after, { revoked: true });
  assert.deepEqual(await sessionOf(after), { expires: "x" }, "the session has no user any more");
});

test("a reset by an admin, a suspension and sign-out-everywhere each end sessions at once", async () => {
  const admin = await makeUser("ADMIN");
  for (const revoke of [
    (u: Awaited<ReturnType<typeof makeUser>>) => resetPassword(db(), admin.actor, u.id),
    (u: Awaited<ReturnType<typeof makeUser>>) => setUserStatus(db(), admin.actor, u.id, "SUSPENDED"),
    (u: Awaited<ReturnType<typeof makeUser>>) => signOutEverywhere(db(), u.actor),
  ]) {
    const u = await makeUser();
    const token = await loginToken(u);
    assert.equal((await request(token)).revoked, undefined);
    await revoke(u);
    assert.deepEqual(await request(token), { revoked: true });
  }
  // Reactivating a suspended user does not revive its old sessions.
  const u = await makeUser();
  const token = await loginToken(u);
  await setUserStatus(db(), admin.actor, u.id, "SUSPENDED");
  await setUserStatus(db(), admin.actor, u.id, "ACTIVE");
  assert.deepEqual(await request(token), { revoked: true });
});

test("sign-out-everywhere is for browser sessions only", async () => {
  const u = await makeUser();
  await assert.rejects(signOutEverywhere(db(), { ...u.actor, via: "token", tokenId: "x" }), /revoke API tokens/);
});

test(`a session ends ${sessionLifetimeSeconds / 3600} h after the login however active; the idle limit is ${sessionMaxAgeSeconds / 3600} h`, async () => {
  const u = await makeUser();
  const token = await loginToken(u);
  assert.equal(sessionMaxAgeSeconds, 12 * 3600);
  const old = { ...token, loginAt: Date.now() - sessionLifetimeSeconds * 1000 - 1000 };
  assert.deepEqual(await request(old), { revoked: true });
  const nearly = { ...token, loginAt: Date.now() - sessionLifetimeSeconds * 1000 + 60_000 };
  assert.equal((await request(nearly)).revoked, undefined);
  assert.deepEqual(await request({ ...token, loginAt: Date.now() + 3600_000 }), { revoked: true }, "a login in the future is forged");
  const { loginAt: _dropped, ...legacy } = token;
  assert.deepEqual(await request(legacy), { revoked: true }, "a token without a login time (older format) is void");
});

test("a deleted user's, a forged version's and a malformed token's sessions are void", async () => {
  const u = await makeUser();
  const token = await loginToken(u);
  assert.deepEqual(await request({ ...token, sv: 7 }), { revoked: true });
  assert.deepEqual(await request({ ...token, sv: "0" as never }), { revoked: true });
  await db().user.delete({ where: { id: u.id } });
  assert.deepEqual(await request(token), { revoked: true });
  assert.equal(await liveSession(db(), {}), null);
});

test("the batch check used for live sockets agrees with the single check", async () => {
  const a = await makeUser();
  const b = await makeUser();
  const now = Date.now();
  const claims = [
    { uid: a.id, sv: 0, loginAt: now },
    { uid: b.id, sv: 0, loginAt: now },
    { uid: b.id, sv: 1, loginAt: now },
    { uid: "nobody", sv: 0, loginAt: now },
    { uid: a.id, sv: 0, loginAt: now - sessionLifetimeSeconds * 1000 - 1 },
    {},
  ];
  await signOutEverywhere(db(), b.actor);
  const batch = await liveSessions(db(), claims, now);
  const single = await Promise.all(claims.map((c) => liveSession(db(), c, now)));
  assert.deepEqual(batch, single);
  assert.deepEqual(
    batch.map((x) => x !== null),
    [true, false, true, false, false, false],
  );
});
