/**
 * Customer self-service of issue 18 through the real panel, agent and kernel, as a
 * customer, a reseller and the admin: SSH keys in the account (a weak key refused with
 * the reason, ssh-keygen's fingerprint shown, chosen for a reinstall and for a new server
 * and found in the server's authorized_keys); customer API tokens (scopes, own servers
 * only: another tenant's server is 404, what the role or scopes do not allow 403);
 * destructive actions behind a dialog that names the consequence (terminate and
 * reinstall want the server's name typed). Every page at 390 px and in dark mode:
 * pages-*.spec.ts. Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { createPlan } from "@/lib/server/plans/create-plan";
import { addSshKey } from "@/lib/server/ssh-keys/add-ssh-key";
import { baseUrl, login, openBrowser, type BrowserSession } from "../testing/browser";
import { confirmInDialog } from "../testing/confirm-dialog";
import { flowFixture, makeUser, vserverCli, type FlowFixture } from "../flows/fixture";
import { ensureHostRoom } from "../testing/host-room";
import { buildServer, removeBuiltServer } from "./testing/build-server";

let f: FlowFixture;
let keyDir = "";
let reseller: { email: string; id: string };
let customer: { email: string; id: string };
let other: { email: string; id: string };
let planId = "";
const own = { id: "", name: "" };
const foreign = { id: "", name: "" };
let adminKey = { line: "", fingerprint: "" };
let keys = 0;
function keyPair(type: string, bits?: number): { line: string; fingerprint: string } {
  const file = path.join(keyDir, `k${keys++}`);
  execFileSync("ssh-keygen", ["-q", "-t", type, ...(bits ? ["-b", String(bits)] : []), "-N", "", "-C", "e2e", "-f", file]);
  return { line: fs.readFileSync(`${file}.pub`, "utf8").trim(), fingerprint: execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`], { encoding: "utf8" }).split(" ")[1]! };
}

function authorizedKeys(name: string): string {
  const r = vserverCli(name, "exec", "cat", "/root/.ssh/authorized_keys");
  assert.equal(r.code, 0, `cat authorized_keys in ${name}: ${r.err}`);
  return r.out;
}

async function api(method: string, p: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${baseUrl()}/api/v1${p}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function jobSucceeded(page: Page): Promise<void> {
  const box = page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"], [data-testid="job-progress"][data-state="FAILED"]');
  await box.first().waitFor({ timeout: 180_000 });
  if ((await box.first().getAttribute("data-state")) === "FAILED") assert.fail(`the job failed: ${await page.getByTestId("job-log").innerText().catch(() => "")}`);
}

async function signedIn(email: string, password: string, home: RegExp): Promise<BrowserSession> {
  const s = await openBrowser();
  await login(s.page, email, password);
  await s.page.waitForURL(home);
  return s;
}

async function makeToken(page: Page, at: string, name: string, scopes?: string[]): Promise<string> {
  await page.goto(at);
  const form = page.getByTestId("token-form");
  await form.getByLabel("Name").fill(name);
  if (scopes) {
    for (const box of await form.getByTestId("token-scopes").getByRole("checkbox").all()) {
      const value = (await box.getAttribute("value")) ?? "";
      if (scopes.includes(value)) await box.check();
      else await box.uncheck();
    }
  }
  await form.getByRole("button", { name: "Create token" }).click();
  return page.getByTestId("secret-value").innerText();
}

let giveBackRoom: (() => Promise<void>) | undefined;

before(async () => {
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-e2e-keys-"));
  f = await flowFixture();
  reseller = await makeUser(f, "RESELLER");
  await f.db.resellerQuota.create({ data: { resellerId: reseller.id, maxServers: 4, maxCpuMilli: 4000, maxMemoryMb: 2048, maxDiskMb: 4096 } });
  customer = await makeUser(f, "CUSTOMER", reseller.email);
  other = await makeUser(f, "CUSTOMER");
  planId = (await createPlan(f.db, f.admin, { name: `Self ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv6Count: 0 })).id;
  adminKey = keyPair("ed25519");
  const adminKeyId = (await addSshKey(f.db, f.admin, { name: "admin laptop", publicKey: adminKey.line })).id;
  giveBackRoom = await ensureHostRoom(f.db, f.hostId, { servers: 4, cpuMilli: 500 });
  const a = await buildServer(f, { customerId: customer.id, planId, hostId: f.hostId, hostname: "self-own.example.test", method: "busybox" });
  // The wizard's path: a key chosen from the creator's account.
  const b = await buildServer(f, { customerId: other.id, planId, hostId: f.hostId, hostname: "self-other.example.test", method: "busybox", sshKeyIds: [adminKeyId] });
  Object.assign(own, { id: a.serverId, name: a.name });
  Object.assign(foreign, { id: b.serverId, name: b.name });
});

after(async () => {
  for (const s of [own, foreign]) if (s.id) await removeBuiltServer(f, s);
  fs.rmSync(keyDir, { recursive: true, force: true });
  await giveBackRoom?.();
  await f?.db.$disconnect();
});

test("admin: a key chosen from the account when the server was made is in its authorized_keys", () => {
  assert.ok(authorizedKeys(foreign.name).includes(adminKey.line.split(" ")[1]!));
});

test("customer: adds SSH keys (a 1024-bit RSA key refused with the reason), sees ssh-keygen's fingerprint, reinstalls after typing the server's name with a key chosen; another customer's server is 404", async () => {
  const s = await signedIn(customer.email, f.password, /\/servers$/);
  try {
    const page = s.page;
    await page.goto("/account");
    const form = page.getByTestId("ssh-key-form");
    await form.getByLabel("Key name").fill("old rsa");
    await form.getByLabel("Public key").fill(keyPair("rsa", 1024).line);
    await form.getByRole("button", { name: "Add key" }).click();
    await form.getByText(/RSA key of 1024 bits: at least 2048 are needed/).waitFor();
    assert.equal(await page.getByTestId("ssh-key").count(), 0);
    const good = keyPair("ed25519");
    await form.getByLabel("Key name").fill("laptop");
    await form.getByLabel("Public key").fill(good.line);
    await form.getByRole("button", { name: "Add key" }).click();
    await page.getByTestId("ssh-key-fingerprint").getByText(good.fingerprint).waitFor();
    await s.shot("self-01-customer-ssh-keys");

    await page.goto(`/servers/${own.id}`);
    const card = page.getByTestId("maintenance");
    await card.getByTestId("ssh-key-picker").getByLabel(/laptop/).check();
    await card.getByRole("button", { name: "Reinstall" }).click();
    const dialog = page.getByTestId("confirm-dialog");
    await dialog.waitFor();
    await dialog.getByTestId("confirm-typed").fill(`${own.name}x`);
    assert.equal(await dialog.getByTestId("confirm-yes").isDisabled(), true, "a wrong name does not unlock reinstall");
    await s.shot("self-02-reinstall-dialog");
    await dialog.getByTestId("confirm-typed").fill("");
    assert.match(await confirmInDialog(page, own.name), /Everything on its disk/);
    await page.waitForURL(/\?job=/);
    await jobSucceeded(page);
    assert.ok(authorizedKeys(own.name).includes(good.line.split(" ")[1]!), "the chosen key reached the reinstalled server");

    await page.goto("/account");
    await page.getByRole("button", { name: "Delete key laptop" }).click();
    await confirmInDialog(page);
    await page.getByTestId("ssh-key").waitFor({ state: "detached" });

    assert.equal((await page.goto(`/servers/${foreign.id}`))?.status(), 404);
    assert.equal((await page.goto(`/servers/${foreign.id}/console`))?.status(), 404);
  } finally {
    await s.close();
  }
});

test("customer: a token with read and power scopes reaches its own server only (another tenant's → 404) and nothing beyond its scopes or role (403)", async () => {
  const s = await signedIn(customer.email, f.password, /\/servers$/);
  try {
    const token = await makeToken(s.page, "/account/tokens", "monitoring", ["servers:read", "servers:power"]);
    await s.page.getByTestId("tokens-table").getByText("servers:read, servers:power").waitFor();
    await s.shot("self-03-customer-tokens");
    const list = (await (await api("GET", "/servers", token)).json()) as { items: { id: string }[] };
    assert.ok(list.items.some((x) => x.id === own.id), "its server is listed");
    assert.deepEqual(list.items.filter((x) => x.id !== own.id), [], "nothing of another customer's");
    assert.equal((await api("GET", `/servers/${own.id}`, token)).status, 200);
    assert.equal((await api("GET", `/servers/${foreign.id}`, token)).status, 404);
    assert.equal((await api("POST", `/servers/${foreign.id}/stop`, token, {})).status, 404);
    assert.equal((await api("POST", `/servers/${own.id}/reinstall`, token, { method: "busybox" })).status, 403, "no reinstall scope");
    assert.equal((await api("DELETE", `/servers/${own.id}`, token)).status, 403, "customers do not terminate");
    assert.equal((await api("GET", "/customers", token)).status, 403);
    const doc = (await (await fetch(`${baseUrl()}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { "x-roles": string[]; "x-customer-scope"?: string }>> };
    assert.deepEqual(doc.paths["/servers/{id}"]?.get?.["x-roles"], ["ADMIN", "RESELLER", "CUSTOMER"]);
    assert.equal(doc.paths["/servers/{id}/reinstall"]?.post?.["x-customer-scope"], "servers:reinstall");
    assert.deepEqual(doc.paths["/customers"]?.post?.["x-roles"], ["ADMIN", "RESELLER"]);
  } finally {
    await s.close();
  }
});

test("reseller: its token and its pages reach its customer's server, not another tenant's (404); its token has no scopes to choose", async () => {
  const s = await signedIn(reseller.email, f.password, /\/reseller$/);
  try {
    await s.page.goto("/reseller/tokens");
    assert.equal(await s.page.getByTestId("token-scopes").count(), 0);
    const token = await makeToken(s.page, "/reseller/tokens", "billing");
    assert.equal((await api("GET", `/servers/${own.id}`, token)).status, 200);
    assert.equal((await api("GET", `/servers/${foreign.id}`, token)).status, 404);
    assert.equal((await s.page.goto(`/servers/${foreign.id}`))?.status(), 404);
    assert.equal((await s.page.goto(`/reseller/customers/${other.id}`))?.status(), 404);
  } finally {
    await s.close();
  }
});

test("admin: terminate names the consequence and waits for the server's name; deleting a user names what goes", async () => {
  const s = await signedIn(process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!, /\/admin$/);
  try {
    const page = s.page;
    const doomed = await makeUser(f, "CUSTOMER");
    await page.goto(`/admin/users/${doomed.id}`);
    await page.getByRole("button", { name: "Delete" }).click();
    assert.match(await confirmInDialog(page), /cannot be undone/);
    await page.waitForURL(/\/admin\/users$/);
    assert.equal(await f.db.user.count({ where: { id: doomed.id } }), 0);

    await page.goto(`/servers/${foreign.id}`);
    await page.getByTestId("power-buttons").getByRole("button", { name: "Terminate" }).click();
    const dialog = page.getByTestId("confirm-dialog");
    await dialog.waitFor();
    await dialog.getByTestId("confirm-no").click();
    await dialog.waitFor({ state: "detached" });
    assert.equal(await f.db.vServer.count({ where: { id: foreign.id } }), 1, "cancel changes nothing");
    await page.getByTestId("power-buttons").getByRole("button", { name: "Terminate" }).click();
    await dialog.getByTestId("confirm-typed").fill(foreign.name.slice(0, -1));
    assert.equal(await dialog.getByTestId("confirm-yes").isDisabled(), true);
    await s.shot("self-04-terminate-dialog");
    await dialog.getByTestId("confirm-typed").fill("");
    assert.match(await confirmInDialog(page, foreign.name), /disk and everything on it is deleted/);
    await page.waitForURL(/\/servers(\?|$)/, { timeout: 60_000 });
  } finally {
    await s.close();
  }
});
