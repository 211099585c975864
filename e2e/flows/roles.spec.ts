/**
 * Each role's main path through the real panel, agent and kernel:
 * the admin enrolls a host, makes a plan, a pool, a reseller and a support account;
 * the reseller makes a customer and a server through the wizard and watches the job
 * finish; the customer stops and starts it; the admin switches it to shared uids and
 * back, and provisions a shared-uid server through the wizard; support finds its processes (guest root an unprivileged host uid) in the process
 * list. Screenshots of each step land in e2e/output/.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { firstLogin, loginAsAdmin, openBrowser, type BrowserSession } from "../testing/browser";
import { confirmInDialog } from "../testing/confirm-dialog";

const people: Record<string, { email: string; password: string }> = {};
let serverName = "";
let admin: BrowserSession;

async function createAccount(page: Page, email: string, role: string): Promise<string> {
  await page.goto("/admin/users");
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByRole("button", { name: "Create user" }).click();
  const secret = page.getByTestId("secret-value");
  await secret.waitFor();
  return secret.innerText();
}

/** Waits for the job box to end; a failed job fails the test at once with the job's own log. */
async function waitForJob(page: Page, timeout = 180_000): Promise<void> {
  const box = page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"], [data-testid="job-progress"][data-state="FAILED"]');
  await box.first().waitFor({ timeout });
  if ((await box.first().getAttribute("data-state")) === "FAILED") {
    assert.fail(`the job failed: ${await page.getByTestId("job-log").innerText().catch(() => "(no log shown)")}`);
  }
}

before(async () => {
  admin = await openBrowser();
  admin.page.on("dialog", (d) => void d.accept());
  await loginAsAdmin(admin.page);
});
after(async () => {
  await admin.close();
});

test("admin: enrolls a second host by its agent's endpoint and credential", async () => {
  const page = admin.page;
  await page.goto("/admin/hosts");
  const form = page.getByTestId("enroll-host-form");
  await form.getByLabel("Name").fill("host2");
  await form.getByLabel("Agent endpoint").fill(process.env.E2E_HOST2_ENDPOINT!);
  await form.getByLabel("Agent credential").fill("vsa_wrong-credential-of-enough-length");
  await form.getByRole("button", { name: "Enroll host" }).click();
  await page.getByText("the agent refused this credential").waitFor();
  await form.getByLabel("Agent credential").fill(process.env.E2E_HOST2_CREDENTIAL!);
  await form.getByRole("button", { name: "Enroll host" }).click();
  await page.getByTestId("form-success").waitFor();
  const row = page.getByTestId("hosts-table").getByRole("row", { name: /host2/ });
  assert.equal(await row.getByTestId("host-status").getAttribute("data-status"), "ONLINE");
  await admin.shot("flow-01-admin-hosts");
});

test("admin: makes a plan, a pool on the local host, a reseller with a quota, and a support account", async () => {
  const page = admin.page;
  await page.goto("/admin/plans");
  const plan = page.getByTestId("plan-form");
  await plan.getByLabel("Name").fill("Starter");
  await plan.getByLabel("Memory (MB): default").fill("128");
  await plan.getByLabel("Memory (MB): default").locator("..").locator("..").getByLabel("maximum").fill("256");
  await plan.getByLabel("Disk (MB): default").fill("128");
  await plan.getByLabel("Disk (MB): default").locator("..").locator("..").getByLabel("maximum").fill("256");
  await plan.getByLabel("IPv6 addresses").fill("0");
  await plan.getByRole("button", { name: "Create plan" }).click();
  await page.getByTestId("plans-table").getByText("Starter").waitFor();

  await page.goto("/admin/ip-pools");
  const pool = page.getByTestId("pool-form");
  await pool.getByLabel("Name").fill("flow-v4");
  await pool.getByLabel("Network (CIDR)").fill("10.232.0.0/24");
  await pool.getByLabel("Gateway").fill("10.232.0.1");
  for (const box of await pool.locator('input[name="hostIds"]').all()) {
    const label = (await box.locator("..").innerText()).trim();
    if (label === "host2") await box.uncheck();
    else await box.check();
  }
  await pool.getByRole("button", { name: "Create pool" }).click();
  await page.getByTestId("pool-free-flow-v4").waitFor();

  people.reseller = { email: "flow-reseller@example.com", password: await createAccount(page, "flow-reseller@example.com", "RESELLER") };
  await page.getByTestId("users-table").getByRole("link", { name: people.reseller.email }).click();
  const quota = page.getByTestId("quota-form");
  for (const [label, value] of [
    ["Servers", "5"],
    ["CPU (thousandths of a core)", "4000"],
    ["Memory (MB)", "2048"],
    ["Disk (MB)", "4096"],
    ["IPv4 addresses", "5"],
  ]) {
    await quota.getByLabel(label!).fill(value!);
  }
  await quota.getByRole("button", { name: "Save quota" }).click();
  await page.getByTestId("form-success").waitFor();
  people.support = { email: "flow-support@example.com", password: await createAccount(page, "flow-support@example.com", "SUPPORT") };
  await admin.shot("flow-02-admin-reseller");
});

test("reseller: makes a customer and a server through the wizard, and watches the job finish", async () => {
  const s = await openBrowser();
  try {
    const page = s.page;
    // Its password was set by someone else: it chooses its own first.
    people.reseller!.password = await firstLogin(page, people.reseller!.email, people.reseller!.password);
    await page.waitForURL(/\/reseller$/);
    await page.goto("/reseller/customers");
    const form = page.getByTestId("create-user-form");
    await form.getByLabel("Email").fill("flow-customer@example.com");
    await form.getByRole("button", { name: "Create customer" }).click();
    const secret = page.getByTestId("secret-value");
    await secret.waitFor();
    people.customer = { email: "flow-customer@example.com", password: await secret.innerText() };

    await page.goto("/servers/new");
    const wizard = page.getByTestId("provision-wizard");
    const next = () => wizard.getByRole("button", { name: "Next" }).click();
    await wizard.getByRole("combobox").selectOption({ label: "flow-customer@example.com" });
    await next();
    await wizard.getByText("Starter").click();
    await next();
    await wizard.getByLabel(/Minimal \(BusyBox\)/).check();
    assert.equal(await wizard.getByTestId("wizard-uids").count(), 0, "only admins choose shared uids");
    await next();
    await wizard.getByRole("textbox", { name: "Hostname" }).fill("shop.example.com");
    await next();
    await s.shot("flow-03-wizard-resources");
    await next();
    await next();
    await wizard.getByRole("textbox", { name: "Root password" }).fill("customer-root-pw");
    await next();
    assert.match(await wizard.getByTestId("wizard-review").innerText(), /shop\.example\.com/);
    await s.shot("flow-04-wizard-review");
    await wizard.getByRole("button", { name: "Create server" }).click();
    await page.waitForURL(/\/servers\/[^/]+\?job=/);
    await page.getByTestId("job-progress").waitFor();
    await s.shot("flow-05-job-running");
    await waitForJob(page);
    assert.match(await page.getByTestId("job-log").innerText(), /running/);
    await page.locator('[data-testid="server-state"][data-state="RUNNING"]').waitFor({ timeout: 30_000 });
    // The page re-renders with the running server's actions once the state arrived.
    await page.getByTestId("power-buttons").getByRole("button", { name: "Stop" }).waitFor({ timeout: 30_000 });
    serverName = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
    assert.equal(serverName, "shop");
    // The server got an address of one of the local host's pools (other specs make pools
    // too), shown as given (/32, as the API says) and as configured inside (the pool's /24).
    const addresses = await page.getByTestId("server-addresses").innerText();
    assert.match(addresses, /^10\.23[12]\.0\.\d+\/32$/m);
    assert.match(addresses, /^inside: 10\.23[12]\.0\.\d+\/24$/m);
    await s.shot("flow-06-server-running");
  } finally {
    await s.close();
  }
});

test("customer: stops and starts its server", async () => {
  const s = await openBrowser();
  s.page.on("dialog", (d) => void d.accept());
  try {
    const page = s.page;
    // Its password was set by someone else: it chooses its own first.
    people.customer!.password = await firstLogin(page, people.customer!.email, people.customer!.password);
    await page.waitForURL(/\/servers$/);
    await page.getByTestId("servers-table").getByRole("link", { name: serverName }).click();
    await page.locator('[data-testid="server-state"][data-state="RUNNING"]').waitFor();
    await page.getByTestId("power-buttons").getByRole("button", { name: "Stop" }).click();
    await confirmInDialog(page);
    await page.waitForURL(/\?job=/);
    await waitForJob(page);
    await page.locator('[data-testid="server-state"][data-state="STOPPED"]').waitFor({ timeout: 30_000 });
    await s.shot("flow-07-customer-stopped");
    await page.getByTestId("power-buttons").getByRole("button", { name: "Start" }).click();
    await page.waitForURL((u) => u.search.includes("job="));
    await page.locator('[data-testid="server-state"][data-state="RUNNING"]').waitFor({ timeout: 60_000 });
    await s.shot("flow-08-customer-started");
    // A provider's action is not offered to the customer, and the API agrees.
    assert.equal(await page.getByRole("button", { name: "Terminate" }).count(), 0);
    // New servers get their own user namespace; only an admin may switch that.
    const userIds = page.getByTestId("user-namespace");
    assert.match(await userIds.innerText(), /Own user namespace/);
    assert.equal(await userIds.getByRole("button").count(), 0);
  } finally {
    await s.close();
  }
});

test("admin: switches the server to shared uids (shown as less safe) and back to its own user namespace", async () => {
  const page = admin.page;
  await page.goto("/servers");
  await page.getByTestId("servers-table").getByRole("link", { name: serverName }).click();
  const userIds = page.getByTestId("user-namespace");
  assert.match(await userIds.innerText(), /Own user namespace/);
  await userIds.getByRole("button", { name: "Switch to shared uids (less safe)" }).click();
  assert.match(await confirmInDialog(page), /less safe/);
  await userIds.getByText("Shared uids (less safe)").waitFor({ timeout: 30_000 });
  await admin.shot("flow-09-admin-shared-uids");
  await userIds.getByRole("button", { name: "Give it its own user namespace" }).click();
  await confirmInDialog(page);
  await userIds.getByText("Own user namespace").waitFor({ timeout: 30_000 });
  // The running server kept its mode throughout (the switch applies at the next start).
  await page.locator('[data-testid="server-state"][data-state="RUNNING"]').waitFor();
});

test("admin: provisions a server with shared uids through the wizard, marked less safe on the review and the server page", async () => {
  const page = admin.page;
  await page.goto("/servers/new");
  const wizard = page.getByTestId("provision-wizard");
  const next = () => wizard.getByRole("button", { name: "Next" }).click();
  await wizard.getByRole("combobox").selectOption({ label: people.customer!.email });
  await next();
  await wizard.getByText("Starter", { exact: true }).click();
  await next();
  // The host step: the local host, which has the pool (host2 has none).
  const hosts = wizard.getByRole("combobox");
  let local = "";
  for (const option of await hosts.locator("option").all()) {
    const value = (await option.getAttribute("value")) ?? "";
    if (value && !(await option.innerText()).startsWith("host2")) local = value;
  }
  assert.ok(local, "the local host is offered");
  await hosts.selectOption(local);
  await next();
  await wizard.getByLabel(/Minimal \(BusyBox\)/).check();
  const uids = wizard.getByTestId("wizard-uids");
  assert.ok(await uids.getByLabel(/Own user namespace \(recommended\)/).isChecked(), "its own user namespace unless the admin says otherwise");
  await uids.getByLabel(/Shared uids \(less safe\)/).check();
  await next();
  await wizard.getByRole("textbox", { name: "Hostname" }).fill("legacy.example.com");
  await next();
  await next();
  await next();
  await wizard.getByRole("textbox", { name: "Root password" }).fill("legacy-root-pw");
  await next();
  assert.match(await wizard.getByTestId("wizard-review").innerText(), /User ids\s+shared uids \(less safe\)/);
  await admin.shot("flow-10-admin-wizard-shared-uids");
  await wizard.getByRole("button", { name: "Create server" }).click();
  await page.waitForURL(/\/servers\/[^/]+\?job=/);
  await waitForJob(page);
  await page.getByTestId("user-namespace").getByText("Shared uids (less safe)").waitFor({ timeout: 30_000 });
  await page.getByTestId("power-buttons").getByRole("button", { name: "Terminate" }).click();
  assert.match(await confirmInDialog(page, await page.getByRole("heading", { level: 1 }).innerText()), /disk and everything on it is deleted/);
  await page.waitForURL(/\/servers(\?|$)/, { timeout: 60_000 });
});

test("support: finds the server's processes in the process list", async () => {
  const s = await openBrowser();
  try {
    const page = s.page;
    // Its password was set by someone else: it chooses its own first.
    people.support!.password = await firstLogin(page, people.support!.email, people.support!.password);
    await page.waitForURL(/\/support$/);
    assert.ok((await page.getByText(serverName, { exact: true }).count()) > 0, "vserver-stat lists the server");
    await page.goto(`/support/processes?server=${serverName}&guestsOnly=1`);
    const contexts = await page.getByTestId("process-context").allInnerTexts();
    assert.ok(contexts.length > 0, "the server's processes are listed");
    assert.ok(contexts.every((c) => c.trim().endsWith(serverName)), contexts.join(" | "));
    // Its root is an unprivileged host uid; the list shows the guest's view beside it.
    assert.ok((await page.getByTestId("process-guest-uid").allInnerTexts()).some((t) => t.includes("guest uid 0")), "guest root's uid is shown");
    await s.shot("flow-11-support-processes");
    // Support reads, never changes: no power buttons on the server page.
    await page.getByTestId("process-table").getByRole("link", { name: serverName }).first().click();
    assert.equal(await page.getByTestId("power-buttons").count(), 0);
  } finally {
    await s.close();
  }
});
