/**
 * Password links against a real database and a real SMTP server started here: a reset
 * request answers the same for an address with and without an account and mails only
 * the one with; requests are counted before they are evaluated (the fourth for one
 * e-mail sends nothing); the link sets the password once, ends the sessions, clears a
 * forced change and records an event; a second use and an expired link are refused; a
 * new account gets a welcome link; an admin's reset forces a change.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { verifyPassword } from "@/lib/security/password";
import type { Actor } from "@/lib/server/actor";
import { writeMailSettings } from "@/lib/server/events/mail-settings";
import { createUser } from "@/lib/server/users/create-user";
import { resetPassword } from "@/lib/server/users/set-password";
import { redeemPasswordToken } from "./password-links";
import { requestPasswordReset, resetAnswer } from "./request-password-reset";

process.env.NEXTAUTH_SECRET ??= "password-test-secret-of-enough-length-0123456789";

let db: Db;
let smtp: SMTPServer;
const mails: { to: string; text: string }[] = [];
const tag = crypto.randomBytes(3).toString("hex");

const linkIn = (text: string) => /\/reset-password\/([A-Za-z0-9_-]+)/.exec(text.replace(/=\r?\n/g, ""))?.[1];

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("nothing arrived");
}

before(async () => {
  await migrate(databaseTarget());
  db = createDb();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString()));
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) mails.push({ to: to.address, text });
        callback();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  await writeMailSettings(db, { host: "127.0.0.1", port: (smtp.server.address() as AddressInfo).port, secure: false, user: "", password: "", from: "panel@pw.test", publicUrl: "https://panel.pw.test" });
});

after(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await db.$disconnect();
});

describe("password links", () => {
  test("the same answer with and without an account; the link works once and ends the sessions", async () => {
    const email = `known-${tag}@pw.test`;
    const user = await db.user.create({ data: { email, role: "CUSTOMER", passwordHash: "x", mustChangePassword: true } });
    const known = await requestPasswordReset(db, email, "198.51.100.1");
    const unknown = await requestPasswordReset(db, `nobody-${tag}@pw.test`, "198.51.100.1");
    assert.equal(known.answer, resetAnswer);
    assert.equal(unknown.answer, known.answer);
    assert.equal(await known.sent, true);
    assert.equal(await unknown.sent, false);
    assert.equal(mails.filter((m) => m.to === `nobody-${tag}@pw.test`).length, 0);
    const token = linkIn(mails.find((m) => m.to === email)!.text)!;
    assert.ok(token);
    await redeemPasswordToken(db, token, "brand-new-password-1");
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.ok(await verifyPassword("brand-new-password-1", after.passwordHash));
    assert.equal(after.sessionVersion, 1);
    assert.equal(after.mustChangePassword, false);
    assert.equal(await db.event.count({ where: { userId: user.id, type: "user.password_changed" } }), 1);
    await assert.rejects(redeemPasswordToken(db, token, "another-password-2"), /not valid any more/);
    assert.ok(await verifyPassword("brand-new-password-1", (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash));
  });

  test("requests are counted before they are evaluated; an expired link is refused", async () => {
    const email = `count-${tag}@pw.test`;
    await db.user.create({ data: { email, role: "CUSTOMER", passwordHash: "x" } });
    const sent: boolean[] = [];
    for (let i = 0; i < 4; i++) sent.push(await (await requestPasswordReset(db, email, `203.0.113.${i}`)).sent);
    assert.deepEqual(sent, [true, true, true, false]);
    const last = mails.filter((m) => m.to === email).at(-1)!;
    await db.passwordToken.updateMany({ where: { user: { email } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await assert.rejects(redeemPasswordToken(db, linkIn(last.text)!, "brand-new-password-1"), /not valid any more/);
    // An earlier link of the same user stopped working when a newer one was made.
    assert.equal(await db.passwordToken.count({ where: { user: { email }, usedAt: null, expiresAt: { gt: new Date() } } }), 0);
  });

  test("a new account gets a welcome link and must choose its password; so does one an admin reset", async () => {
    const admin = await db.user.create({ data: { email: `admin-${tag}@pw.test`, role: "ADMIN", passwordHash: "x" } });
    const actor: Actor = { userId: admin.id, role: "ADMIN", via: "session", ip: null, userAgent: "test" };
    const made = await createUser(db, actor, { email: `welcome-${tag}@pw.test`, role: "CUSTOMER" });
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: made.user.id } })).mustChangePassword, true);
    const mail = await until(() => mails.find((m) => m.to === `welcome-${tag}@pw.test`));
    await redeemPasswordToken(db, linkIn(mail.text)!, "welcome-password-1");
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: made.user.id } })).mustChangePassword, false);
    await resetPassword(db, actor, made.user.id, "set-by-admin-123");
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: made.user.id } })).mustChangePassword, true);
  });
});
