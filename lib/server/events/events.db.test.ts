/**
 * The events outbox against a real database, a real SMTP server (smtp-server, started
 * here) and webhook receivers started here: an event recorded in a transaction reaches
 * the in-panel list of its server's owner and reseller, their mailboxes and the
 * reseller's webhook with a signature that checks (and a stale timestamp visible); a
 * receiver that fails first is retried with back-off and the attempts are logged; two
 * panel instances dispatching at once deliver each event once; a rolled-back change
 * leaves no event; a user's choice turns a channel off; redelivery sends again.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { panelSecret, hostCredentialPurpose } from "@/lib/env";
import { seal } from "@/lib/security/secret-box";
import type { Actor } from "@/lib/server/actor";
import { dispatchEvents } from "./dispatch-events";
import { writeMailSettings } from "./mail-settings";
import { listNotifications, setNotificationChoices, unreadCount } from "./notifications";
import { recordEvent } from "./record-event";
import { sendDueDeliveries } from "./send-deliveries";
import { createWebhookEndpoint, deliveryAttempts, redeliverWebhook } from "./webhook-endpoints";

process.env.NEXTAUTH_SECRET ??= "events-test-secret-of-enough-length-0123456789";
process.env.WEBHOOK_ALLOW_PRIVATE = "1";
process.env.EVENT_RETRY_BASE_MS = "300";

let db: Db;
const tag = crypto.randomBytes(3).toString("hex");
const mails: { to: string; text: string }[] = [];
const hooks: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let failFirst = 1;
let smtp: SMTPServer;
let smtpPort = 0;
let receiver: http.Server;
let hookBase = "";
let reseller: Actor;
let customer: Actor;
let serverId = "";

async function pump(until: () => Promise<boolean> | boolean, runners = ["a"]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await Promise.all(runners.map((r) => dispatchEvents(db, `test-${r}`)));
    await Promise.all(runners.map((r) => sendDueDeliveries(db, `test-${r}`)));
    if (await until()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("deliveries did not settle");
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
  smtpPort = (smtp.server.address() as AddressInfo).port;
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hooks.push({ path: req.url ?? "", headers: req.headers, body });
      if (req.url === "/flaky" && failFirst-- > 0) return void res.writeHead(500).end("not yet");
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  await writeMailSettings(db, { host: "127.0.0.1", port: smtpPort, secure: false, user: "", password: "", from: "panel@events.test", publicUrl: "https://panel.events.test" });
  const r = await db.user.create({ data: { email: `res-${tag}@events.test`, role: "RESELLER", passwordHash: "x" } });
  const c = await db.user.create({ data: { email: `cust-${tag}@events.test`, role: "CUSTOMER", passwordHash: "x", resellerId: r.id } });
  reseller = { userId: r.id, role: "RESELLER", via: "session", ip: null, userAgent: "test" };
  customer = { userId: c.id, role: "CUSTOMER", via: "session", ip: null, userAgent: "test" };
  const host = await db.host.create({ data: { name: `ev-${tag}`, endpoint: "unix:/nonexistent", credentialHash: "x", credentialCiphertext: seal(panelSecret(), hostCredentialPurpose, "x") } });
  const s = await db.vServer.create({ data: { name: `ev${tag}`, contextId: 4000, hostname: "ev.test", hostId: host.id, ownerId: c.id, cpuMilli: 100, memoryMb: 64, diskMb: 64, pids: 32, state: "RUNNING" } });
  serverId = s.id;
});

after(async () => {
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => receiver.close(() => r()));
  await db.$disconnect();
});

describe("events outbox", () => {
  test("a crash reaches the owner's and the reseller's lists, mailboxes and the reseller's signed webhook", async () => {
    const hook = await createWebhookEndpoint(db, reseller, { url: `${hookBase}/ok`, description: "billing" });
    await db.$transaction(async (tx) => {
      await tx.vServer.update({ where: { id: serverId }, data: { state: "STOPPED" } });
      await recordEvent(tx, { type: "server.crashed", vserverId: serverId, data: { cause: "killed by signal 9 (SIGKILL)" } });
    });
    await pump(async () => mails.filter((m) => m.text.includes("stopped unexpectedly")).length >= 2 && hooks.some((h) => h.path === "/ok"));
    const forCustomer = await listNotifications(db, customer);
    assert.match(forCustomer[0]!.title, /Server stopped unexpectedly: ev/);
    assert.match(forCustomer[0]!.body, /SIGKILL/);
    assert.equal(await unreadCount(db, customer), 1);
    assert.equal((await listNotifications(db, reseller)).length, 1);
    const to = mails.map((m) => m.to).sort();
    assert.ok(to.includes(`cust-${tag}@events.test`) && to.includes(`res-${tag}@events.test`), to.join(","));
    assert.match(mails[0]!.text, new RegExp(`https://panel.events.test/servers/${serverId}`));
    const got = hooks.find((h) => h.path === "/ok")!;
    const sig = String(got.headers["x-vsp-signature"]);
    const t = Number(/t=(\d+)/.exec(sig)![1]);
    const expected = crypto.createHmac("sha256", hook.secret).update(`${t}.${got.body}`).digest("hex");
    assert.equal(/v1=([0-9a-f]+)/.exec(sig)![1], expected, "the signature checks with the endpoint's secret");
    assert.ok(Math.abs(Date.now() / 1000 - t) < 60, "and carries a fresh timestamp");
    const wrong = crypto.createHmac("sha256", "another-secret").update(`${t}.${got.body}`).digest("hex");
    assert.notEqual(wrong, expected);
    assert.equal(JSON.parse(got.body).type, "server.crashed");
    assert.equal(got.headers["x-vsp-event"], "server.crashed");
  });

  test("a failing receiver is retried with back-off; the attempts are logged; redelivery sends again", async () => {
    const hook = await createWebhookEndpoint(db, reseller, { url: `${hookBase}/flaky` });
    await recordEvent(db, { type: "server.disk_full", vserverId: serverId, data: { percent: 93 } });
    const delivery = async () => db.eventDelivery.findFirst({ where: { endpointId: hook.id }, include: { log: true } });
    await pump(async () => (await delivery())?.state === "DELIVERED");
    const d = (await delivery())!;
    assert.equal(d.attempts, 2);
    assert.deepEqual(d.log.map((l) => l.status).sort(), [204, 500]);
    const log = await deliveryAttempts(db, reseller, d.id);
    assert.equal(log[0]!.status, 500);
    const before = hooks.filter((h) => h.path === "/flaky").length;
    await redeliverWebhook(db, reseller, d.id);
    await pump(() => hooks.filter((h) => h.path === "/flaky").length > before);
    await assert.rejects(redeliverWebhook(db, customer, d.id), /only admins and resellers/);
  });

  test("two panel instances dispatching at once deliver each event once", async () => {
    const ids = await Promise.all([1, 2, 3].map(() => recordEvent(db, { type: "server.stopped", vserverId: serverId })));
    await pump(async () => (await db.event.count({ where: { id: { in: ids }, dispatchedAt: null } })) === 0, ["a", "b", "c"]);
    for (const id of ids) assert.equal(await db.notification.count({ where: { eventId: id, userId: customer.userId } }), 1);
  });

  test("a terminated server's event reaches its owner and reseller after the row is gone", async () => {
    const id = await recordEvent(db, { type: "server.terminated", vserverId: "c000000000000000000000gone", userId: customer.userId, data: { name: "gone1" } });
    await pump(async () => (await db.event.findUniqueOrThrow({ where: { id } })).dispatchedAt !== null);
    const got = await db.notification.findMany({ where: { eventId: id } });
    assert.deepEqual(got.map((n) => n.userId).sort(), [customer.userId, reseller.userId].sort());
    assert.equal(got[0]!.title, "Server terminated: gone1");
  });

  test("a rolled-back change leaves no event; a user's choice turns a channel off", async () => {
    const before = await db.event.count();
    await assert.rejects(
      db.$transaction(async (tx) => {
        await recordEvent(tx, { type: "server.crashed", vserverId: serverId });
        throw new Error("the change failed");
      }),
    );
    assert.equal(await db.event.count(), before);
    await setNotificationChoices(db, customer, { on: ["server.crashed:PANEL"] });
    const mailCount = mails.filter((m) => m.to === `cust-${tag}@events.test`).length;
    await recordEvent(db, { type: "server.crashed", vserverId: serverId, data: { cause: "exit 1" } });
    await pump(async () => mails.filter((m) => m.to === `res-${tag}@events.test`).length >= 2);
    await pump(async () => (await db.eventDelivery.count({ where: { state: "PENDING", channel: "EMAIL" } })) === 0);
    assert.equal(mails.filter((m) => m.to === `cust-${tag}@events.test`).length, mailCount, "no e-mail to the customer any more");
    assert.match((await listNotifications(db, customer))[0]!.body, /exit 1/, "but still in its list");
  });
});
