/**
 * The admin's management path in a real browser: make a house plan, an IP pool, a
 * reseller with a quota, and an API token shown once; bad input shows which field is
 * wrong and creates nothing; every change lands in the audit log.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { loginAsAdmin, openBrowser, type BrowserSession } from "../testing/browser";

let s: BrowserSession;
before(async () => {
  s = await openBrowser();
  await loginAsAdmin(s.page);
});
after(async () => {
  await s.close();
});

test("a plan with a default above its maximum is refused with the field named", async () => {
  await s.page.goto("/admin/plans");
  const form = s.page.getByTestId("plan-form");
  await form.getByLabel("Name").fill("Broken");
  await form.getByLabel("Memory (MB): default").fill("4096");
  await form.getByRole("button", { name: "Create plan" }).click();
  await s.page.getByText("must not exceed the maximum").waitFor();
  assert.equal(await s.page.getByTestId("plans-table").getByText("Broken").count(), 0);
  await s.shot("admin-01-plan-error");
});

test("the admin creates a house plan", async () => {
  const form = s.page.getByTestId("plan-form");
  await form.getByLabel("Name").fill("VS-Small");
  await form.getByLabel("Memory (MB): default").fill("512");
  await form.getByRole("button", { name: "Create plan" }).click();
  await s.page.getByTestId("plans-table").getByText("VS-Small").waitFor();
  await s.shot("admin-02-plan-created");
});

test("the admin creates an IP pool and sees its free count", async () => {
  await s.page.goto("/admin/ip-pools");
  const form = s.page.getByTestId("pool-form");
  await form.getByLabel("Name").fill("e2e-v4");
  await form.getByLabel("Network (CIDR)").fill("10.231.0.1/24");
  await form.getByRole("button", { name: "Create pool" }).click();
  await s.page.getByText("has host bits set").waitFor();
  await form.getByLabel("Network (CIDR)").fill("10.231.0.0/24");
  await form.getByLabel("Gateway").fill("10.231.0.1");
  await form.getByRole("button", { name: "Create pool" }).click();
  await s.page.getByTestId("pool-free-e2e-v4").waitFor();
  assert.equal(await s.page.getByTestId("pool-free-e2e-v4").innerText(), "253");
  await s.shot("admin-03-pool");
});

test("the admin creates a reseller and sets its quota", async () => {
  await s.page.goto("/admin/users");
  const form = s.page.getByTestId("create-user-form");
  await form.getByLabel("Email").fill("reseller-e2e@example.com");
  await form.getByLabel("Role").selectOption("RESELLER");
  await form.getByRole("button", { name: "Create user" }).click();
  const secret = s.page.getByTestId("secret-value");
  await secret.waitFor();
  assert.ok((await secret.innerText()).length >= 20, "a generated password is shown once");
  await s.page.getByTestId("users-table").getByRole("link", { name: "reseller-e2e@example.com" }).click();
  const quota = s.page.getByTestId("quota-form");
  await quota.getByLabel("Servers").fill("5");
  await quota.getByLabel("Memory (MB)").fill("8192");
  await quota.getByRole("button", { name: "Save quota" }).click();
  await s.page.getByTestId("form-success").waitFor();
  await s.shot("admin-04-reseller-quota");
});

test("an API token is shown once and listed by its prefix only", async () => {
  await s.page.goto("/admin/tokens");
  await s.page.getByTestId("token-form").getByLabel("Name").fill("WHMCS");
  await s.page.getByRole("button", { name: "Create token" }).click();
  const token = await s.page.getByTestId("secret-value").innerText();
  assert.match(token, /^vsp_/);
  const res = await s.page.request.get("/api/v1/plans", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status(), 200);
  assert.ok(((await res.json()) as { items: { name: string }[] }).items.some((p) => p.name === "VS-Small"));
  await s.page.reload();
  assert.equal(await s.page.getByText(token).count(), 0, "the token is not shown again");
});

test("the audit log has every change", async () => {
  await s.page.goto("/admin/audit");
  const table = s.page.getByTestId("audit-table");
  for (const action of ["plan.create", "ip-pool.create", "user.create", "reseller.set-quota", "token.create", "user.login"]) {
    assert.ok((await table.getByText(action, { exact: true }).count()) > 0, action);
  }
  await s.shot("admin-05-audit");
});
