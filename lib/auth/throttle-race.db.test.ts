/**
 * Login throttling under bursts, on a real database (SQLite and PostgreSQL by the
 * runner): 40 concurrent password attempts against a limit of 5 — in one panel, and
 * split over two panel instances (separate processes) — evaluate exactly 5, and the right
 * password, sent once the limit is counted while the others are still being checked, is
 * refused. The same for two-factor codes and for recovery codes. A right password gives
 * its count back, so an office behind one address is not locked by its own logins.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { hashPassword } from "@/lib/security/password";
import { generateTotpSecret, totpCode, totpPeriodSeconds } from "@/lib/security/totp";
import { generateRecoveryCodes } from "@/lib/server/two-factor/recovery-codes";
import { sealTotpSecret } from "@/lib/server/two-factor/totp-secret";
import { secondFactorKey } from "@/lib/server/two-factor/verify-second-factor";
import { runPanelCall, type CallResult, type PanelCall } from "@/lib/testing/panel-calls";
import { runPanelInstances } from "@/lib/testing/run-panel-instances";
import { authorizeCredentials } from "./authorize-credentials";
import { throttleLimits } from "./throttle";

process.env.NEXTAUTH_SECRET ??= "throttle-race-test-secret-of-enough-length-0123456789";

let db: Db;
const password = "right-password-1";
const limit = throttleLimits.email;

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
});
after(async () => {
  await db?.$disconnect();
});

let n = 0;
let passwordHash: Promise<string> | undefined;
async function user(options: { totp?: boolean } = {}) {
  const secret = generateTotpSecret();
  const { codes, hashes } = generateRecoveryCodes(2);
  const u = await db.user.create({
    data: {
      email: `race${++n}-${crypto.randomBytes(3).toString("hex")}@throttle.test`,
      role: "CUSTOMER",
      passwordHash: await (passwordHash ??= hashPassword(password)),
      ...(options.totp ? { totpSecret: sealTotpSecret(secret), totpEnabled: true, recoveryCodes: { create: hashes.map((codeHash) => ({ codeHash })) } } : {}),
    },
  });
  return { ...u, secret, recoveryCodes: codes };
}

/** A fresh documentation address per test, so tests do not share the address key. */
let lastOctet = 0;
const address = () => `198.51.100.${++lastOctet}`;

const login = (email: string, pw: string, ip: string, after?: PanelCall["after"]): PanelCall => ({ op: "authorizeCredentials", input: { email, password: pw }, ip, after });
const code = (userId: string, c: string, ip: string, after?: PanelCall["after"]): PanelCall => ({ op: "verifySecondFactor", userId, code: c, ip, after });

/** Six-digit codes that are not valid now (nor one step either side). */
function wrongCodes(secret: string, count: number): string[] {
  const t = Date.now() / 1000;
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, t + d * totpPeriodSeconds)));
  const out: string[] = [];
  while (out.length < count) {
    const c = String(crypto.randomInt(1_000_000)).padStart(6, "0");
    if (!valid.has(c)) out.push(c);
  }
  return out;
}

function value(r: CallResult): unknown {
  assert.ok(r.ok, `a call failed: ${JSON.stringify(r)}`);
  return r.value;
}

/** Login results: how many were evaluated (a password was checked) and how many refused unchecked. */
function loginTally(results: CallResult[]) {
  const values = results.map(value) as { ok: boolean; reason?: string }[];
  return { evaluated: values.filter((v) => v.ok || v.reason === "CredentialsSignin").length, throttled: values.filter((v) => v.reason === "Throttled").length };
}

function codeTally(results: CallResult[]) {
  const values = results.map(value) as string[];
  return { evaluated: values.filter((v) => v !== "throttled").length, throttled: values.filter((v) => v === "throttled").length };
}

test(`40 concurrent logins in one panel evaluate ${limit}; the right password after the limit is refused`, async () => {
  const u = await user();
  const ip = address();
  const calls = [...Array.from({ length: 39 }, (_, i) => login(u.email, `guess-${i}`, ip)), login(u.email, password, ip, { key: `email:${u.email}`, attempts: limit })];
  const results = await Promise.all(calls.map((c) => runPanelCall(db, c)));
  assert.deepEqual(loginTally(results), { evaluated: limit, throttled: 40 - limit });
  assert.deepEqual(value(results[39]!), { ok: false, reason: "Throttled" });
  assert.equal(await db.auditLog.count({ where: { action: "user.login", actorId: u.id, success: true } }), 0);
  assert.equal(await db.auditLog.count({ where: { action: "user.login", actorId: u.id, success: false } }), limit, "one audit row per evaluated password");
});

test(`40 concurrent logins from two panel instances evaluate ${limit}; the right password after the limit is refused`, async () => {
  const u = await user();
  const ip = address();
  const wrong = Array.from({ length: 39 }, (_, i) => login(u.email, `guess-${i}`, ip));
  const right = login(u.email, password, ip, { key: `email:${u.email}`, attempts: limit });
  const [a, b] = await runPanelInstances([wrong.slice(0, 20), [...wrong.slice(20), right]]);
  assert.deepEqual(loginTally([...a!, ...b!]), { evaluated: limit, throttled: 40 - limit });
  assert.deepEqual(value(b!.at(-1)!), { ok: false, reason: "Throttled" });
});

test(`40 concurrent two-factor codes evaluate ${limit}, in one panel and from two instances; the right code after the limit is refused`, async () => {
  for (const where of ["one panel", "two instances"] as const) {
    const u = await user({ totp: true });
    const ip = address();
    const wrong = wrongCodes(u.secret, 39).map((c) => code(u.id, c, ip));
    const right = code(u.id, totpCode(u.secret), ip, { key: secondFactorKey(u.id), attempts: limit });
    const results = where === "one panel" ? await Promise.all([...wrong, right].map((c) => runPanelCall(db, c))) : (await runPanelInstances([wrong.slice(0, 20), [...wrong.slice(20), right]])).flat();
    assert.deepEqual(codeTally(results), { evaluated: limit, throttled: 40 - limit }, where);
    assert.equal(value(results.at(-1)!), "throttled", where);
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: u.id } })).totpLastStep, null, `${where}: no code was accepted`);
  }
});

test(`40 concurrent recovery codes evaluate ${limit}; a valid one after the limit is refused and stays unused`, async () => {
  const u = await user({ totp: true });
  const ip = address();
  const wrong = generateRecoveryCodes(39).codes.map((c) => code(u.id, c, ip));
  const right = code(u.id, u.recoveryCodes[0]!, ip, { key: secondFactorKey(u.id), attempts: limit });
  const results = await Promise.all([...wrong, right].map((c) => runPanelCall(db, c)));
  assert.deepEqual(codeTally(results), { evaluated: limit, throttled: 40 - limit });
  assert.equal(value(results.at(-1)!), "throttled");
  assert.equal(await db.recoveryCode.count({ where: { userId: u.id } }), 2, "both recovery codes are still there");
});

test("right passwords give their count back: more logins from one address than its limit do not lock it", async () => {
  const ip = address();
  const u = await user();
  for (let i = 0; i < throttleLimits.ip + 2; i++) assert.equal((await authorizeCredentials(db, { email: u.email, password }, ip)).ok, true, `login ${i + 1}`);
  assert.equal((await db.loginThrottle.findUnique({ where: { key: `ip:${ip}` } }))?.failures ?? 0, 0);
});
