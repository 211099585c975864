/**
 * Reverse DNS of issue 18 through the real panel, against a real PowerDNS started here on
 * loopback (pdns_server, gsqlite3): hidden while the admin has set no endpoint; the admin
 * sets the endpoint and links two pools on /admin/reverse-dns; the customer sets the PTR
 * of its IPv4 address and of a name inside its IPv6 /64 on the server page, and
 * `dig -x` asked of that PowerDNS answers the names; its reseller changes one; a bad name is refused naming the
 * field and changes nothing; another customer gets 404; removing the address on the
 * server page removes its record. Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { createPlan } from "@/lib/server/plans/create-plan";
import { startLoopbackPowerDns, type LoopbackPowerDns } from "@/lib/server/dns/testing/powerdns-on-loopback";
import { login, openBrowser, type BrowserSession } from "../testing/browser";
import { confirmInDialog } from "../testing/confirm-dialog";
import { flowFixture, makeUser, type FlowFixture } from "../flows/fixture";
import { ensureHostRoom } from "../testing/host-room";
import { buildServer, removeBuiltServer } from "./testing/build-server";

let f: FlowFixture;
let pdns: LoopbackPowerDns;
let reseller: { email: string; id: string };
let customer: { email: string; id: string };
let other: { email: string; id: string };
const own = { id: "", name: "" };
const poolIds: string[] = [];
const octet = crypto.randomInt(1, 250);
const hex = octet.toString(16);
const v4 = { pool: `198.18.${octet}.64/26`, address: `198.18.${octet}.70` };
const v6 = { pool: `2001:db8:${hex}::/48`, prefix: `2001:db8:${hex}:7::`, inside: `2001:db8:${hex}:7::25` };
const tag = crypto.randomBytes(3).toString("hex");
let giveBackRoom: (() => Promise<void>) | undefined;

/** Saves the PTR `name` of `address` in the server page's reverse-DNS card; waits until the card lists it. */
async function savePtr(page: Page, address: string, name: string): Promise<void> {
  const card = page.getByTestId("reverse-dns");
  const form = card.getByTestId("reverse-dns-form");
  await form.getByLabel("Address").fill(address);
  await form.getByLabel("Host name").fill(name);
  await form.getByRole("button", { name: "Save PTR record" }).click();
  await card.getByTestId("reverse-dns-name").getByText(name).waitFor();
}

async function signedIn(email: string, password: string): Promise<BrowserSession> {
  const s = await openBrowser();
  await login(s.page, email, password);
  await s.page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return s;
}

before(async () => {
  f = await flowFixture();
  pdns = await startLoopbackPowerDns();
  reseller = await makeUser(f, "RESELLER");
  await f.db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 4, maxCpuMilli: 4000, maxMemoryMb: 2048, maxDiskMb: 4096 } });
  customer = await makeUser(f, "CUSTOMER", reseller.email);
  other = await makeUser(f, "CUSTOMER");
  const planId = (await createPlan(f.db, f.admin, { name: `Rdns ${tag}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv6Count: 0 })).id;
  giveBackRoom = await ensureHostRoom(f.db, f.hostId, { servers: 1, cpuMilli: 500 });
  Object.assign(own, await buildServer(f, { customerId: customer.id, planId, hostId: f.hostId, hostname: "rdns-own.example.test", method: "busybox" }).then((b) => ({ id: b.serverId, name: b.name })));
  // Pools of no host (the allocator never hands them out); their addresses are given to the
  // server in the panel's books only: reverse DNS lives in the panel and PowerDNS, not on the host.
  const p4 = await f.db.ipPool.create({ data: { name: `rdns-v4-${tag}`, family: "IPV4", cidr: v4.pool, assignPrefix: 32 } });
  const p6 = await f.db.ipPool.create({ data: { name: `rdns-v6-${tag}`, family: "IPV6", cidr: v6.pool, assignPrefix: 64 } });
  poolIds.push(p4.id, p6.id);
  await f.db.ipAddress.create({ data: { poolId: p4.id, family: "IPV4", address: v4.address, prefix: 32, vserverId: own.id } });
  await f.db.ipAddress.create({ data: { poolId: p6.id, family: "IPV6", address: v6.prefix, prefix: 64, vserverId: own.id } });
});

after(async () => {
  await f?.db.setting.deleteMany({ where: { key: "dns.powerdns" } });
  if (own.id) await removeBuiltServer(f, own);
  await f?.db.ipAddress.deleteMany({ where: { poolId: { in: poolIds } } });
  await f?.db.ipPool.deleteMany({ where: { id: { in: poolIds } } });
  await giveBackRoom?.();
  await pdns?.stop();
  await f?.db.$disconnect();
});

test("customer: without a PowerDNS endpoint the server page has no reverse-DNS card (hidden, not broken)", async () => {
  await f.db.setting.deleteMany({ where: { key: "dns.powerdns" } });
  const s = await signedIn(customer.email, f.password);
  try {
    assert.equal((await s.page.goto(`/servers/${own.id}`))?.status(), 200);
    await s.page.getByTestId("server-addresses").waitFor();
    assert.equal(await s.page.getByTestId("reverse-dns").count(), 0);
  } finally {
    await s.close();
  }
});

test("admin: sets the PowerDNS endpoint (the key never shown back) and links the two pools, which creates their reverse zones", async () => {
  const s = await signedIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
  try {
    const page = s.page;
    await page.goto("/admin/reverse-dns");
    const form = page.getByTestId("powerdns-settings-form");
    await form.getByLabel("PowerDNS API URL").fill(pdns.url);
    await form.getByLabel("Server id").fill("localhost");
    await form.getByRole("button", { name: "Save reverse-DNS settings" }).click();
    await form.getByText("the PowerDNS API key is required").waitFor();
    await form.getByLabel("API key").fill(pdns.apiKey);
    await form.getByRole("button", { name: "Save reverse-DNS settings" }).click();
    await form.getByText("Saved.").waitFor();
    await page.reload();
    assert.equal(await page.getByLabel("API key").inputValue(), "", "the stored key is not sent back");
    assert.ok(!(await page.content()).includes(pdns.apiKey));
    const table = page.getByTestId("reverse-zones-table");
    for (const name of [`rdns-v4-${tag}`, `rdns-v6-${tag}`]) {
      await table.getByRole("button", { name: `Link ${name} to reverse DNS` }).click();
      await table.getByRole("button", { name: `Link ${name} to reverse DNS` }).waitFor({ state: "detached" });
    }
    const zone4 = `${octet}.18.198.in-addr.arpa.`;
    await table.getByText(zone4).waitFor();
    await s.shot("rdns-01-admin-endpoint-and-pools");
    const zone = await fetch(`${pdns.url}/api/v1/servers/localhost/zones/${zone4}`, { headers: { "X-API-Key": pdns.apiKey } });
    assert.equal(zone.status, 200, "the zone exists in PowerDNS");
  } finally {
    await s.close();
  }
});

test("customer: sets the PTR of its IPv4 address and of a name inside its IPv6 /64; dig -x answers them; a bad name is refused naming the field and changes nothing", async () => {
  const s = await signedIn(customer.email, f.password);
  try {
    const page = s.page;
    await page.goto(`/servers/${own.id}`);
    await savePtr(page, v4.address, "mail.rdns-e2e.example");
    // Nothing in this sandbox resolves the name forward: the check warns, the record stands.
    await page.getByTestId("reverse-dns").getByTestId("reverse-dns-warning").waitFor();
    assert.deepEqual(await pdns.digReverse(v4.address), ["mail.rdns-e2e.example"]);

    const form = page.getByTestId("reverse-dns-form");
    await form.getByLabel("Host name").fill(`${"x".repeat(64)}.example.com`);
    await form.getByRole("button", { name: "Save PTR record" }).click();
    await form.getByText(/is not a valid host name: it has a label longer than 63 characters/).waitFor();
    assert.equal(await form.getByLabel("Host name").getAttribute("aria-invalid"), "true", "the error is on the name field");
    assert.deepEqual(await pdns.digReverse(v4.address), ["mail.rdns-e2e.example"], "the refused name changed nothing");

    await savePtr(page, v6.inside, "v6.rdns-e2e.example");
    assert.deepEqual(await pdns.digReverse(v6.inside), ["v6.rdns-e2e.example"]);
    await s.shot("rdns-02-customer-server-page");
  } finally {
    await s.close();
  }
});

test("reseller: sets the PTR of its customer's address on the server page", async () => {
  const s = await signedIn(reseller.email, f.password);
  try {
    const page = s.page;
    await page.goto(`/servers/${own.id}`);
    await savePtr(page, v4.address, "reseller.rdns-e2e.example");
    assert.deepEqual(await pdns.digReverse(v4.address), ["reseller.rdns-e2e.example"]);
    await s.shot("rdns-03-reseller-server-page");
  } finally {
    await s.close();
  }
});

test("another customer: the server page and its reverse DNS are 404", async () => {
  const s = await signedIn(other.email, f.password);
  try {
    assert.equal((await s.page.goto(`/servers/${own.id}`))?.status(), 404);
  } finally {
    await s.close();
  }
});

test("customer: removing the address on the server page returns it to its pool and removes its PTR record", async () => {
  const s = await signedIn(customer.email, f.password);
  try {
    const page = s.page;
    await page.goto(`/servers/${own.id}`);
    await page.getByRole("button", { name: `Remove ${v4.address}` }).click();
    await confirmInDialog(page);
    await page.getByRole("button", { name: `Remove ${v4.address}` }).waitFor({ state: "detached" });
    assert.equal(await f.db.ipAddress.count({ where: { address: v4.address } }), 0);
    assert.deepEqual(await pdns.digReverse(v4.address), []);
    assert.deepEqual(await pdns.digReverse(v6.inside), ["v6.rdns-e2e.example"], "the other address keeps its record");
  } finally {
    await s.close();
  }
});
