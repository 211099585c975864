/**
 * The panel works live at every address it answers at, not only NEXTAUTH_URL's (the
 * stack sets it to http://localhost:PORT): opened at http://127.0.0.1:PORT and at
 * http://localhost:PORT, a signed-out visit lands on that address's login page, a
 * customer signs in and stays on that address, watches a build's
 * progress and log arrive over the live connection, reads its server's hostname back
 * through the console, and signs out to the login page of the same address.
 * Screenshots: e2e/output/realtime-any-address-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { baseUrl, login, openBrowser } from "../testing/browser";
import { typeLine, waitForJob, waitForLine } from "../console/console-fixture";
import { makeRealtimeFixture, startBuild, type RealtimeFixture } from "./realtime-fixture";

let f: RealtimeFixture;
const port = new URL(baseUrl()).port;

before(async () => {
  f = await makeRealtimeFixture();
});
after(async () => {
  await f?.db.$disconnect();
});

for (const [tag, base] of [
  ["127", `http://127.0.0.1:${port}`],
  ["localhost", `http://localhost:${port}`],
] as const) {
  test(`at ${base}: sign-in, a build's live progress, the console and sign-out stay on that address`, async () => {
    const s = await openBrowser({ baseURL: base });
    const shot = (step: string) => s.shot(`realtime-any-address-${tag}-${step}`);
    try {
      const page = s.page;
      // Signed out, a panel page sends to the login page of the same address.
      await page.goto("/servers");
      await page.waitForURL(/\/login\?next=%2Fservers$/);
      assert.equal(new URL(page.url()).origin, base, "the login redirect stays on the address used");
      await login(page, f.customer.email, f.password);
      await page.waitForURL(/\/servers$/);
      assert.equal(new URL(page.url()).origin, base, "signed in on the address used");

      const hostname = `rt-${tag}-${crypto.randomBytes(2).toString("hex")}.example.test`;
      const build = await startBuild(f, hostname);
      await page.goto(`/servers/${build.serverId}?job=${build.jobId}`);
      await page.getByTestId("job-progress").waitFor();
      await shot("01-build");
      await page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"]').waitFor({ timeout: 180_000 });
      // The log arrives over the live connection only: the first render has no line of it.
      const log = page.getByTestId("job-log");
      await page.waitForFunction(() => !document.querySelector('[data-testid="job-log"]')?.textContent?.includes("waiting for the first log line"), null, { timeout: 30_000 });
      assert.match(await log.innerText(), /running/);
      assert.equal(await page.getByTestId("realtime-error").count(), 0, "no live-connection error");
      assert.equal(await page.getByTestId("realtime-offline").count(), 0, "the state badge is live");
      await waitForJob(f.db, build.jobId);
      await shot("02-built");

      await page.goto(`/servers/${build.serverId}/console`);
      const term = page.getByTestId("console").first();
      await page.locator('[data-testid="console"][data-state="open"]').first().waitFor({ timeout: 30_000 });
      await typeLine(page, term, "hostname");
      await waitForLine(term, (l) => l.trim() === hostname);
      await shot("03-console");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/login/);
      assert.equal(new URL(page.url()).origin, base, "signed out to the same address");
      await page.getByLabel("Email").waitFor();
      await shot("04-signed-out");
    } finally {
      await s.close();
    }
  });
}
