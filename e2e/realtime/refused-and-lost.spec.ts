/**
 * A live connection that is refused or lost is said on the page, with the reason, and
 * retried; nothing waits at "connecting…" in silence. Through a test proxy
 * (e2e/testing/test-proxy):
 * - a proxy that sends the panel its own Host (not the browser's) makes the page's origin
 *   one the panel does not accept: the job page and the console say that the panel
 *   refused the live connection from this address and why, count down to the next try,
 *   and keep trying (each try refused and said again); the console opens no shell;
 * - a proxy that keeps the Host is accepted; when it cuts and then refuses connections
 *   the page says the connection is lost, and when it lets them through again the page
 *   is live again without a reload.
 * Screenshots: e2e/output/realtime-refused-*.png, realtime-lost-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { baseUrl, login, openBrowser } from "../testing/browser";
import { startTestProxy, type TestProxy } from "../testing/test-proxy";
import { waitForJob, waitForLine } from "../console/console-fixture";
import { makeRealtimeFixture, startBuild, type RealtimeFixture } from "./realtime-fixture";

let f: RealtimeFixture;
let build: { serverId: string; jobId: string };
const proxies: TestProxy[] = [];

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  f = await makeRealtimeFixture();
  build = await startBuild(f, `rt-refused-${crypto.randomBytes(2).toString("hex")}.example.test`);
  await waitForJob(f.db, build.jobId);
});
after(async () => {
  for (const p of proxies) await p.close();
  await f?.db.$disconnect();
});

test("a page at an origin the panel does not accept shows the refusal with its reason and keeps retrying", async () => {
  const upstreamHost = new URL(baseUrl()).host;
  const proxy = await startTestProxy(baseUrl(), { hostHeader: upstreamHost });
  proxies.push(proxy);
  const s = await openBrowser({ baseURL: proxy.url });
  try {
    const page = s.page;
    await login(page, f.customer.email, f.password);
    await page.waitForURL(/\/servers$/);

    await page.goto(`/jobs/${build.jobId}`);
    const error = page.getByTestId("realtime-error");
    await error.waitFor({ timeout: 30_000 });
    const text = await error.innerText();
    assert.match(text, /Live updates are off: the panel refused the live connection from this address/);
    assert.ok(text.includes(`${proxy.url} is not an address of this panel`), text);
    assert.ok(text.includes(`answers at http://${upstreamHost}`), text);
    assert.match(text, /Trying again in \d+ s\./);
    assert.match(await page.getByTestId("job-log").innerText(), /waiting for the first log line/);
    await s.shot("realtime-refused-01-job");
    // It keeps trying (and "Retry now" tries at once); each try is refused and said again.
    const tries = proxy.socketRequests();
    await error.getByRole("button", { name: "Retry now" }).click();
    await until("two more tries", async () => proxy.socketRequests() >= tries + 2);
    assert.match(await error.innerText(), /refused the live connection from this address/);

    await page.goto(`/servers/${build.serverId}/console`);
    const term = page.getByTestId("console").first();
    await page.getByTestId("console").first().getByTestId("realtime-error").waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId("console-phase").first().innerText(), "no connection to the panel");
    await waitForLine(term, (l) => l.includes("no connection to the panel: the panel refused the live connection from this address"));
    assert.equal(await term.getAttribute("data-state"), "connecting", "no shell without a connection");
    await s.shot("realtime-refused-02-console");
  } finally {
    await s.close();
  }
});

test("a lost connection is said while it is down, and the page is live again when the panel is back", async () => {
  const proxy = await startTestProxy(baseUrl());
  proxies.push(proxy);
  const s = await openBrowser({ baseURL: proxy.url });
  try {
    const page = s.page;
    await login(page, f.customer.email, f.password);
    await page.waitForURL(/\/servers$/);
    await page.goto(`/jobs/${build.jobId}`);
    // Accepted through a proxy that keeps the Host: the page's origin is the request's own.
    await page.waitForFunction(() => !document.querySelector('[data-testid="job-log"]')?.textContent?.includes("waiting for the first log line"), null, { timeout: 30_000 });
    assert.equal(await page.getByTestId("realtime-error").count(), 0);

    proxy.refuse(true);
    proxy.drop();
    const error = page.getByTestId("realtime-error");
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.innerText(), /Live updates are off: (the live connection to the panel was lost|cannot reach the panel for live updates)/);
    await s.shot("realtime-lost-01-down");

    proxy.refuse(false);
    await error.waitFor({ state: "detached", timeout: 60_000 });
    await s.shot("realtime-lost-02-back");
  } finally {
    await s.close();
  }
});
