/**
 * Least privilege on the Processes page, on the real stack: a host process started with
 * a secret argument appears to support with its name, user and resources and
 * "(arguments hidden)", nowhere in the page its argument, and the command filter does not
 * find it by the secret; an admin sees the whole command line. The processes of a real
 * server keep their command lines for support, as the agent reports them.
 * Screenshots: e2e/output/processes-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import type { Page } from "playwright-core";
import { createAgentClient } from "@/lib/agent-client";
import { login, loginAsAdmin, openBrowser } from "../testing/browser";
import { createUser } from "../testing/users";
import { waitForJob } from "../console/console-fixture";
import { makeRealtimeFixture, startBuild, type RealtimeFixture } from "../realtime/realtime-fixture";

const secret = `vst-e2e-secret-${crypto.randomBytes(8).toString("hex")}`;
let hostProcess: ChildProcess;
let f: RealtimeFixture;
let serverName = "";
/** The local host: other specs enroll a second agent of this machine, whose host processes are the same. */
let localHostId = "";
const supportPassword = "support-e2e-password-1";
let supportEmail = "";

/** The process table's row of a host pid. */
function rowOf(page: Page, pid: number) {
  return page.getByTestId("process-table").locator("tr", { has: page.locator("td", { hasText: new RegExp(`^${pid}$`) }) });
}

before(async () => {
  hostProcess = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)", secret], { stdio: "ignore" });
  await new Promise((r) => hostProcess.once("spawn", r));
  f = await makeRealtimeFixture();
  localHostId = (await f.db.host.findFirstOrThrow({ where: { isLocal: true } })).id;
  const build = await startBuild(f, `procs-${crypto.randomBytes(2).toString("hex")}.example.test`);
  await waitForJob(f.db, build.jobId);
  serverName = (await f.db.vServer.findUniqueOrThrow({ where: { id: build.serverId } })).name;
  supportEmail = await createUser("SUPPORT", supportPassword);
});
after(async () => {
  hostProcess?.kill("SIGKILL");
  await f?.db.$disconnect();
});

test("support sees a host process by name, user and resources, never its arguments", async () => {
  const s = await openBrowser();
  try {
    const page = s.page;
    await login(page, supportEmail, supportPassword);
    await page.waitForURL(/\/support$/);
    await page.goto(`/support/processes?hostId=${localHostId}&command=node&sort=pid`);
    const row = rowOf(page, hostProcess.pid!);
    await row.waitFor();
    const cells = await row.locator("td").allInnerTexts();
    assert.match(cells.join(" | "), /0 MAIN/);
    assert.match(cells.join(" | "), /\broot\b/);
    const command = row.getByTestId("process-command");
    assert.equal(await command.getAttribute("data-hidden"), "1");
    assert.equal((await command.innerText()).trim(), "node (arguments hidden)");
    assert.ok(!(await page.content()).includes(secret), "the secret is nowhere in the page");
    await s.shot("processes-01-support-host-process");

    await page.goto(`/support/processes?hostId=${localHostId}&command=${secret}`);
    await page.getByText("No process matches").waitFor();
    assert.equal(await page.getByTestId("process-table").count(), 0, "not found by the secret");
    await s.shot("processes-02-support-filter-by-secret");
  } finally {
    await s.close();
  }
});

test("support sees the command lines of a server's processes as the agent reports them", async () => {
  const agent = createAgentClient({ endpoint: process.env.E2E_AGENT_ENDPOINT!, credential: process.env.E2E_AGENT_CREDENTIAL! });
  const { processes } = await agent.listProcesses({ name: serverName, hostCommandLines: true });
  assert.ok(processes.length > 0, "the server runs processes");
  const s = await openBrowser();
  try {
    const page = s.page;
    await login(page, supportEmail, supportPassword);
    await page.waitForURL(/\/support$/);
    await page.goto(`/support/processes?server=${serverName}&guestsOnly=1&sort=pid`);
    const commands = page.getByTestId("process-table").getByTestId("process-command");
    await commands.first().waitFor();
    const shown = await commands.evaluateAll((els) => els.map((e) => ({ text: e.textContent?.trim() ?? "", hidden: e.getAttribute("data-hidden") })));
    assert.ok(shown.every((c) => c.hidden === null), JSON.stringify(shown));
    const full = new Set(processes.map((p) => p.command));
    assert.ok(shown.every((c) => full.has(c.text)), `${JSON.stringify(shown)} ⊆ ${JSON.stringify([...full])}`);
    await s.shot("processes-03-support-guest-processes");
  } finally {
    await s.close();
  }
});

test("an admin sees the host process's whole command line", async () => {
  const s = await openBrowser();
  try {
    const page = s.page;
    await loginAsAdmin(page);
    await page.goto(`/support/processes?hostId=${localHostId}&command=${secret}`);
    const command = rowOf(page, hostProcess.pid!).getByTestId("process-command");
    await command.waitFor();
    assert.ok((await command.innerText()).trim().endsWith(secret));
    assert.equal(await command.getAttribute("data-hidden"), null);
    await s.shot("processes-04-admin-host-process");
  } finally {
    await s.close();
  }
});
