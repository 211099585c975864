/**
 * Rescue mode (issue 18 point 1) through the real panel, agent and kernel: a customer
 * whose server has a broken file starts rescue mode on the server page, sees the one-time
 * root password once (it is root's in the rescue system, and gone after a reload), the
 * page and the list say "rescue"; from the rescue system (an exec on the host, as the
 * console's shell would) the file is fixed under /mnt; an agent SIGKILL leaves the server
 * in rescue (the new agent reports it); the customer ends rescue and the
 * server boots normally with the fix. Another tenant's server is 404 on the page and
 * through a customer token with the rescue scope; support sees the rescue read-only.
 * Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { createPlan } from "@/lib/server/plans/create-plan";
import { baseUrl, login, openBrowser, type BrowserSession } from "../testing/browser";
import { confirmInDialog } from "../testing/confirm-dialog";
import { createUser } from "../testing/users";
import { flowFixture, killAgent, makeUser, vserverCli, waitForJob, type FlowFixture } from "../flows/fixture";
import { ensureHostRoom } from "../testing/host-room";
import { buildServer, removeBuiltServer } from "./testing/build-server";

let f: FlowFixture;
let customer: { email: string; id: string };
let other: { email: string; id: string };
const own = { id: "", name: "" };
const foreign = { id: "", name: "" };
let giveBackRoom: (() => Promise<void>) | undefined;

/** A shell command inside the running server (rescue system or its own), on the host's CLI. */
function inside(name: string, script: string): string {
  const r = vserverCli(name, "exec", "/bin/sh", "-c", script);
  assert.equal(r.code, 0, `${script} in ${name}: ${r.err}`);
  return r.out.trim();
}

/** Waits for the server's job of `type` (queued by a click: it may not exist yet) to succeed. */
async function lastJobDone(type: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const job = await f.db.job.findFirst({ where: { vserverId: own.id, type }, orderBy: { createdAt: "desc" } });
    if (job) return waitForJob(f.db, job.id);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no ${type} job was queued`);
}

async function signedIn(email: string): Promise<BrowserSession> {
  const s = await openBrowser();
  await login(s.page, email, f.password);
  await s.page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return s;
}

async function makeToken(page: Page, name: string, scopes: string[]): Promise<string> {
  await page.goto("/account/tokens");
  const form = page.getByTestId("token-form");
  await form.getByLabel("Name").fill(name);
  for (const box of await form.getByTestId("token-scopes").getByRole("checkbox").all()) {
    if (scopes.includes((await box.getAttribute("value")) ?? "")) await box.check();
    else await box.uncheck();
  }
  await form.getByRole("button", { name: "Create token" }).click();
  return page.getByTestId("secret-value").innerText();
}

before(async () => {
  f = await flowFixture();
  const reseller = await makeUser(f, "RESELLER");
  await f.db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 4, maxCpuMilli: 4000, maxMemoryMb: 2048, maxDiskMb: 4096 } });
  customer = await makeUser(f, "CUSTOMER", reseller.email);
  other = await makeUser(f, "CUSTOMER");
  const planId = (await createPlan(f.db, f.admin, { name: `Rescue ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv6Count: 0 })).id;
  giveBackRoom = await ensureHostRoom(f.db, f.hostId, { servers: 2, cpuMilli: 500 });
  const a = await buildServer(f, { customerId: customer.id, planId, hostId: f.hostId, hostname: "rescue-own.example.test", method: "busybox", start: true });
  const b = await buildServer(f, { customerId: other.id, planId, hostId: f.hostId, hostname: "rescue-other.example.test", method: "busybox" });
  Object.assign(own, { id: a.serverId, name: a.name });
  Object.assign(foreign, { id: b.serverId, name: b.name });
});

after(async () => {
  for (const s of [own, foreign]) {
    if (!s.id) continue;
    await f.agent().endRescue({ name: s.name, timeoutSec: 0 }).catch(() => undefined);
    await removeBuiltServer(f, s);
  }
  await giveBackRoom?.();
  await f?.db.$disconnect();
});

test("customer: enters rescue, sees the password once, fixes a file of the real root under /mnt, leaves rescue, and the server boots with the fix; support sees it read-only; another tenant's server is 404", async () => {
  inside(own.name, "echo broken > /etc/boot-config");
  const s = await signedIn(customer.email);
  try {
    const page = s.page;
    await page.goto(`/servers/${own.id}`);
    const card = page.getByTestId("rescue-card");
    await card.getByTestId("rescue-start").click();
    assert.match(await confirmInDialog(page), /boots the rescue system/);
    const password = (await card.getByTestId("rescue-password").innerText()).trim();
    assert.match(password, /^\w{5}-\w{5}-\w{5}-\w{5}$/);
    await s.shot("rescue-01-password-shown-once");
    await lastJobDone("server.rescue-start");

    await page.reload();
    await page.getByTestId("rescue-banner").waitFor();
    assert.equal(await page.locator('[data-testid="server-state"][data-rescue="true"]').count() > 0, true, "the state says rescue");
    assert.equal(await page.getByTestId("rescue-password").count(), 0, "the password is not shown again");
    await s.shot("rescue-02-server-in-rescue");
    await page.goto("/servers");
    await page.locator('[data-testid="server-state"][data-rescue="true"]').first().waitFor();
    await s.shot("rescue-03-list-says-rescue");

    // Inside the rescue system: its motd, the shown password is root's, the real root at /mnt.
    assert.match(inside(own.name, "cat /etc/motd"), /rescue system/);
    const hash = inside(own.name, "grep '^root:' /etc/shadow").split(":")[1]!;
    const salt = /^\$6\$([^$]+)\$/.exec(hash)?.[1];
    assert.ok(salt, hash);
    assert.equal(execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], { input: `${password}\n`, encoding: "utf8" }).trim(), hash);
    assert.equal(inside(own.name, "cat /mnt/etc/boot-config"), "broken");
    inside(own.name, "echo fixed > /mnt/etc/boot-config && sync");

    // The rescue holds across an agent crash: the server still runs the rescue system and
    // the new agent reports it (the host's record, not the panel's memory).
    await killAgent(f);
    assert.match(inside(own.name, "cat /etc/motd"), /rescue system/);
    assert.ok((await f.agent().getVserver({ name: own.name })).rescueUntil, "the new agent reports the rescue");

    // Support: the rescue is shown, nothing can be changed.
    const supportEmail = await createUser("SUPPORT", f.password);
    const sup = await signedIn(supportEmail);
    try {
      await sup.page.goto(`/servers/${own.id}`);
      await sup.page.getByTestId("rescue-banner").waitFor();
      assert.equal(await sup.page.getByTestId("rescue-card").getAttribute("data-rescue"), "true");
      assert.equal(await sup.page.getByTestId("rescue-end").count(), 0);
      assert.equal(await sup.page.getByTestId("rescue-start").count(), 0);
      await sup.shot("rescue-04-support-read-only");
    } finally {
      await sup.close();
    }

    await page.goto(`/servers/${own.id}`);
    await page.getByTestId("rescue-end").click();
    await lastJobDone("server.rescue-end");
    await page.reload();
    await page.getByTestId("rescue-card").and(page.locator('[data-rescue="false"]')).waitFor();
    assert.equal(await page.getByTestId("rescue-banner").count(), 0);
    await s.shot("rescue-05-back-to-normal");
    assert.equal(inside(own.name, "cat /etc/boot-config"), "fixed", "the server booted from its own root with the fix");
    assert.equal(inside(own.name, "test -e /etc/motd && echo rescue || echo own"), "own");
    const row = await f.db.vServer.findUniqueOrThrow({ where: { id: own.id } });
    assert.equal(row.rescueUntil, null);
    assert.equal(row.state, "RUNNING");
    assert.ok(await f.db.event.count({ where: { vserverId: own.id, type: "server.rescue_started" } }), "an event says the rescue started");
    assert.ok(await f.db.auditLog.count({ where: { targetId: own.id, action: "vserver.rescue-end" } }), "the end is audited");

    // Another tenant's server: 404 on the page and through a token with the rescue scope.
    assert.equal((await page.goto(`/servers/${foreign.id}`))?.status(), 404);
    const token = await makeToken(page, "rescue", ["servers:rescue"]);
    const r = await fetch(`${baseUrl()}/api/v1/servers/${foreign.id}/rescue`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    assert.equal(r.status, 404);
    assert.equal((await f.db.vServer.findUniqueOrThrow({ where: { id: foreign.id } })).rescueUntil, null);
  } finally {
    await s.close();
  }
});
