/**
 * Moving a server between hosts in a real browser (issue 16): a second host (an agent of
 * the multi-host bed, in a network namespace of its own, enrolled in the stack's panel)
 * holds a customer's running busybox server; the admin opens its page, sees "Move to
 * another host" with the stack's host, pre-copy chosen, offline offered and live (CRIU)
 * shown as not possible with each host's criu reason; moves it by pre-copy; the page
 * follows the job live to its end — the rounds, the last round after the stop, the
 * downtime — and the server runs on the stack's host with its file. The customer's page
 * has no move control. Screenshots in e2e/output.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { removeHost } from "@/lib/server/hosts/remove-host";
import { agentForHost } from "@/lib/server/hosts/agent-for-host";
import { startMultiHostBed, type BedHost, type MultiHostBed } from "@/lib/server/testing/multi-host-bed";
import { login, loginAsAdmin, openBrowser, type BrowserSession } from "../testing/browser";
import { confirmInDialog } from "../testing/confirm-dialog";
import { flowFixture, makeUser, waitForJob, type FlowFixture } from "../flows/fixture";

let f: FlowFixture;
let bed: MultiHostBed | undefined;
let other: BedHost;
let customer: { email: string; id: string };
let server = { id: "", name: "" };
let admin: BrowserSession | undefined;

before(async () => {
  f = await flowFixture();
  bed = await startMultiHostBed(f.db, f.admin, 1);
  other = bed.hosts[0]!;
  customer = await makeUser(f, "CUSTOMER");
  const plan = await createPlan(f.db, f.admin, { name: `Move ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 64, diskMbMax: 128, pids: 128, pidsMax: 256, ipv4Count: 0, ipv4Max: 0 });
  const made = await createServer(f.db, f.admin, { customerId: customer.id, planId: plan.id, hostId: other.hostId, hostname: "moving.example.test", method: "busybox" });
  await waitForJob(f.db, made.jobId);
  server = { id: made.serverId, name: made.name };
  const there = agentForHost(await f.db.host.findUniqueOrThrow({ where: { id: other.hostId } }), 30_000);
  await there.execInVserver({ name: server.name, argv: ["/bin/sh", "-c", "echo written-on-the-first-host > /root/marker"] });
  admin = await openBrowser();
  await loginAsAdmin(admin.page);
});

after(async () => {
  await admin?.close();
  if (server.id) {
    const row = await f.db.vServer.findUnique({ where: { id: server.id } });
    await f.db.vServer.deleteMany({ where: { id: server.id } });
    if (row?.hostId === f.hostId) {
      await f.agent().setDesiredState({ name: server.name, state: "stopped", timeoutSec: 0 }).catch(() => undefined);
      await f.agent().deleteVserver({ name: server.name }).catch(() => undefined);
    }
  }
  if (other?.hostId) {
    await f.db.job.deleteMany({ where: { hostId: other.hostId } });
    await removeHost(f.db, f.admin, other.hostId).catch((e: unknown) => console.error("removing the bed host", e));
  }
  await bed?.stop();
  await f?.db.$disconnect();
});

test("the admin moves a running server to another host by pre-copy; the page follows the rounds to the end", async () => {
  const page = admin!.page;
  await page.goto(`/servers/${server.id}`);
  const card = page.getByTestId("move-to-host");
  await card.waitFor();
  const local = await f.db.host.findUniqueOrThrow({ where: { id: f.hostId } });
  assert.match(await card.locator("select").innerText(), new RegExp(`${local.name}: .* memory free`), "the stack's host is offered with its free memory");
  assert.equal(await card.getByRole("radio", { name: /Pre-copy/ }).isChecked(), true, "pre-copy is the default for a running server");
  assert.equal(await card.getByRole("radio", { name: /Offline/ }).isEnabled(), true);
  const live = card.getByTestId("move-method-live");
  assert.equal(await live.getByRole("radio").isDisabled(), true, "live is not offered");
  assert.match(await live.innerText(), /Live \(CRIU, the server keeps its processes\): not possible to .+: .+/, "and says why");
  await card.screenshot({ path: path.resolve("e2e", "output", "move-01-card.png") });

  await card.getByRole("button", { name: "Move to host…" }).click();
  const consequence = await confirmInDialog(page);
  assert.match(consequence, /keeps running while its disk is copied/);
  await page.waitForURL(/\?job=/);
  await page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"]').waitFor({ timeout: 180_000 });
  const log = await page.getByTestId("job-log").innerText();
  assert.match(log, /pre-copy: copied while it runs/);
  assert.match(log, /round 1 \(the whole root, while/);
  assert.match(log, /last round \(stopped\): \d+(?:\.\d)? (?:B|KiB|MiB|GiB) in /);
  assert.match(log, /is running on the target host; downtime \d+\.\d s/);
  await page.getByTestId("job-progress").screenshot({ path: path.resolve("e2e", "output", "move-02-job-done.png") });

  const moved = await f.db.vServer.findUniqueOrThrow({ where: { id: server.id } });
  assert.equal(moved.hostId, f.hostId, "the panel has it on the stack's host");
  assert.equal((await f.agent().getVserver({ name: server.name })).state, "running");
  assert.equal((await f.agent().execInVserver({ name: server.name, argv: ["/bin/cat", "/root/marker"] })).stdout.trim(), "written-on-the-first-host");
});

test("the customer's page of the server has no move control", async () => {
  const s = await openBrowser();
  try {
    await login(s.page, customer.email, f.password);
    await s.page.waitForURL(/\/servers$/);
    await s.page.goto(`/servers/${server.id}`);
    await s.page.getByRole("heading", { name: server.name }).first().waitFor();
    await s.page.getByText("moving.example.test").first().waitFor();
    assert.equal(await s.page.getByTestId("move-to-host").count(), 0);
    assert.equal(await s.page.getByRole("button", { name: "Move to host…" }).count(), 0);
  } finally {
    await s.close();
  }
});
