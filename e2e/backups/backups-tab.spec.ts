/**
 * The Backups tab on the real panel, agent, restic and kernel (issue 14): a customer
 * backs up its running server, sees the backup with its size, duration and freeze time,
 * browses it, restores one changed file into the running server (after a dialog naming
 * the consequence) and downloads a file and a directory (.tar.zst); its plan's single
 * slot is then used and said. A customer of another reseller gets 404 for the page, the
 * download and the browse; support sees the list read-only. Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPlan } from "@/lib/server/plans/create-plan";
import { createServer } from "@/lib/server/vservers/provision/create-server";
import { requestPower } from "@/lib/server/vservers/request-power";
import { login, loginAsAdmin, openBrowser, type BrowserSession } from "../testing/browser";
import { createUser } from "../testing/users";
import { flowFixture, makeUser, vserverCli, waitForJob, type FlowFixture } from "../flows/fixture";

let f: FlowFixture;
let server = { id: "", name: "" };
let customer: BrowserSession;
let backupId = "";
let restored = { id: "", name: "" };

function guest(script: string): string {
  const r = vserverCli(server.name, "exec", "/bin/sh", "-c", script);
  assert.equal(r.code, 0, `guest command failed: ${r.err}`);
  return r.out;
}

/** Waits for the page's job box to end; a failed job fails the test with its log. */
async function jobEnds(s: BrowserSession, timeout = 180_000): Promise<void> {
  const box = s.page.locator('[data-testid="job-progress"][data-state="SUCCEEDED"], [data-testid="job-progress"][data-state="FAILED"]');
  await box.first().waitFor({ timeout });
  if ((await box.first().getAttribute("data-state")) === "FAILED") assert.fail(`the job failed: ${await s.page.getByTestId("job-log").innerText().catch(() => "(no log)")}`);
}

before(async () => {
  f = await flowFixture();
  const reseller = await makeUser(f, "RESELLER");
  await f.db.resellerQuota.upsert({
    where: { resellerId: reseller.id },
    create: { resellerId: reseller.id, maxServers: 2, maxCpuMilli: 2000, maxMemoryMb: 1024, maxDiskMb: 2048, maxIpv4: 0, maxIpv6: 0 },
    update: {},
  });
  const owner = await makeUser(f, "CUSTOMER", reseller.email);
  const plan = await createPlan(f.db, f.admin, { name: `Backup ${Date.now()}`, cpuMilli: 500, cpuMilliMax: 1000, memoryMb: 128, memoryMbMax: 256, diskMb: 256, diskMbMax: 512, pids: 128, pidsMax: 256, ipv4Count: 0, ipv4Max: 0, ipv6Count: 0, backupSlots: 1 });
  const made = await createServer(f.db, f.admin, { customerId: owner.id, planId: plan.id, hostId: f.hostId, hostname: "backup.example.test", method: "busybox" });
  await waitForJob(f.db, made.jobId);
  server = { id: made.serverId, name: made.name };
  guest("mkdir -p /root/data && echo original > /root/data/note.txt && echo second > /root/data/other.txt");
  customer = await openBrowser();
  await login(customer.page, owner.email, f.password);
  await customer.page.waitForURL((u) => !u.pathname.startsWith("/login"));
});

after(async () => {
  await customer?.close();
  for (const s of [server, restored]) {
    if (!s.id) continue;
    await f.agent().pruneBackups({ target: "local", name: s.name, owner: s.id, retention: { keepLast: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 } }).catch(() => undefined);
    await f.db.backup.deleteMany({ where: { serverKey: s.id } });
    // Terminated as an admin would: a server left on the host (or only on the host) takes
    // its context id and capacity from later specs, so a failure here is loud.
    if (await f.db.vServer.findUnique({ where: { id: s.id } })) {
      const { jobId } = await requestPower(f.db, f.admin, s.id, "terminate");
      await waitForJob(f.db, jobId);
    }
  }
  await f?.db.$disconnect();
});

test("the customer backs up its running server from the Backups tab and sees size, duration and freeze time", async () => {
  const page = customer.page;
  await page.goto(`/servers/${server.id}`);
  await page.getByTestId("backups-link").click();
  await page.waitForURL(/\/backups$/);
  assert.match(await page.getByTestId("backup-slots").innerText(), /0 of 1 kept/);
  await page.getByLabel("Note (optional)").fill("before the upgrade");
  await page.getByRole("button", { name: "Back up now" }).click();
  await page.waitForURL(/\/backups\?job=/);
  await jobEnds(customer);
  const row = page.locator('[data-testid="backup-row"][data-state="OK"]');
  await row.first().waitFor({ timeout: 30_000 });
  const text = await row.first().innerText();
  assert.match(text, /before the upgrade/);
  assert.match(text, /\d+(\.\d+)? (B|KB|MB|KiB|MiB|kB)/, "size added is shown");
  assert.match(text, /\d+ ms|stopped|\d+\.\d s/, "duration and freeze are shown");
  const b = await f.db.backup.findFirstOrThrow({ where: { vserverId: server.id, state: "OK" } });
  backupId = b.id;
  assert.equal(b.note, "before the upgrade");
  assert.ok(b.snapshotId && b.durationMs !== null);
  // The single slot is used: the button is off and says why.
  assert.match(await page.getByTestId("backup-slots").innerText(), /1 of 1 kept — all slots are used/);
  assert.equal(await page.getByRole("button", { name: "Back up now" }).isDisabled(), true);
  await customer.shot("backups-01-list");
});

test("the customer browses the backup and restores one changed file into the running server", async () => {
  const page = customer.page;
  guest("echo changed-after-backup > /root/data/note.txt && echo kept > /root/data/new.txt");
  await page.goto(`/servers/${server.id}/backups`);
  await page.getByRole("button", { name: "Browse files" }).first().click();
  const browser = page.getByTestId("snapshot-browser");
  await browser.locator('[data-testid="snapshot-entry"][data-name="root"]').waitFor();
  await browser.getByRole("button", { name: "root/" }).click();
  await browser.getByRole("button", { name: "data/" }).click();
  await browser.locator('[data-testid="snapshot-entry"][data-name="note.txt"]').waitFor();
  assert.equal(await browser.getAttribute("data-path"), "/root/data");
  await customer.shot("backups-02-browse");
  await browser.getByLabel("Select note.txt").check();
  await browser.getByRole("button", { name: /Restore 1 selected/ }).click();
  const dialog = page.getByTestId("confirm-dialog").filter({ hasText: "Restore into the running server?" });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /Files of the same name there are replaced/);
  await customer.shot("backups-03-restore-dialog");
  await dialog.getByRole("button", { name: "Restore files" }).click();
  await page.waitForURL(/\?job=/);
  await jobEnds(customer);
  assert.equal(guest("cat /root/data/note.txt").trim(), "original", "the file is the backup's again");
  assert.equal(guest("cat /root/data/new.txt").trim(), "kept", "other files stay");
  assert.equal((await f.agent().getVserver({ name: server.name })).state, "running", "the server kept running");
});

test("the customer downloads a file and a directory (.tar.zst) of the backup", async () => {
  const page = customer.page;
  const file = await page.request.get(`/servers/${server.id}/backups/${backupId}/download?path=${encodeURIComponent("/root/data/note.txt")}`);
  assert.equal(file.status(), 200);
  assert.equal((await file.text()).trim(), "original");
  assert.match(file.headers()["content-disposition"] ?? "", /attachment; filename="note.txt"/);
  const dir = await page.request.get(`/servers/${server.id}/backups/${backupId}/download?path=${encodeURIComponent("/root/data")}`);
  assert.equal(dir.status(), 200);
  const bytes = await dir.body();
  assert.deepEqual([...bytes.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd], "a zstd stream");
  assert.match(dir.headers()["content-disposition"] ?? "", /\.tar\.zst"/);
  const escape = await page.request.get(`/servers/${server.id}/backups/${backupId}/download?path=${encodeURIComponent("/root/../../etc/shadow")}`);
  assert.equal(escape.status(), 400, "a path leaving the snapshot is refused");
});

test("a customer of another reseller gets 404 for the tab, the browse and the download", async () => {
  const otherReseller = await makeUser(f, "RESELLER");
  const other = await makeUser(f, "CUSTOMER", otherReseller.email);
  const s = await openBrowser();
  try {
    await login(s.page, other.email, f.password);
    await s.page.waitForURL((u) => !u.pathname.startsWith("/login"));
    const res = await s.page.goto(`/servers/${server.id}/backups`);
    assert.equal(res?.status(), 404);
    const dl = await s.page.request.get(`/servers/${server.id}/backups/${backupId}/download?path=%2Froot%2Fdata%2Fnote.txt`);
    assert.equal(dl.status(), 404);
    assert.ok(!(await dl.text()).includes("original"));
    await s.shot("backups-05-other-tenant-404");
  } finally {
    await s.close();
  }
});

test("support sees the backup list read-only: no back up, browse, restore, delete or download", async () => {
  const email = await createUser("SUPPORT", f.password);
  const s = await openBrowser();
  try {
    await login(s.page, email, f.password);
    await s.page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await s.page.goto(`/servers/${server.id}/backups`);
    await s.page.locator('[data-testid="backup-row"][data-state="OK"]').first().waitFor();
    assert.match(await s.page.getByText("Support view: the list is read-only.").innerText(), /read-only/);
    for (const name of ["Back up now", "Browse files", "Restore…", "Delete", "New server…"]) assert.equal(await s.page.getByRole("button", { name }).count(), 0, name);
    const dl = await s.page.request.get(`/servers/${server.id}/backups/${backupId}/download?path=%2Froot%2Fdata%2Fnote.txt`);
    assert.equal(dl.status(), 404);
    await s.shot("backups-06-support-read-only");
  } finally {
    await s.close();
  }
});

test("the admin's Backups page shows each host's targets with space and snapshots, the host's SSH key, and refuses an unreachable SFTP target with the reason", async () => {
  const s = await openBrowser();
  try {
    const page = s.page;
    await loginAsAdmin(page);
    await page.goto("/admin/backups");
    const local = page.locator('[data-testid="backup-target-row"][data-key="local"]').first();
    await local.waitFor();
    const text = await local.innerText();
    assert.match(text, /Local disk/);
    assert.match(text, /\d+(\.\d+)? (B|KiB|MiB|GiB)/, "repository size or free space shown");
    assert.match(await page.getByTestId("host-ssh-key").first().inputValue(), /^ssh-(ed25519|rsa) /);
    const form = page.getByTestId("backup-target-form");
    await form.getByLabel("Name").fill("Nowhere");
    await form.getByLabel("SSH server").fill("127.0.0.1");
    await form.getByLabel("Port").fill("9");
    await form.getByLabel("User").fill("vsbackup");
    await form.getByLabel("Repository directory").fill("repos/panel");
    await form.getByRole("button", { name: "Add target" }).click();
    await form.getByText(/cannot use this target/).waitFor({ timeout: 120_000 });
    assert.equal(await f.db.backupTarget.count({ where: { name: "Nowhere" } }), 0, "nothing kept of a refused target");
    await s.shot("backups-07-admin-targets");
  } finally {
    await s.close();
  }
});

test("the admin brings the terminated server back from its kept backup: the new server holds the backed-up files", async () => {
  // Terminated as an admin would; its backups stay for the grace period.
  const { jobId } = await requestPower(f.db, f.admin, server.id, "terminate");
  await waitForJob(f.db, jobId);
  const owner = (await f.db.backup.findUniqueOrThrow({ where: { id: backupId } })).ownerId;
  const s = await openBrowser();
  try {
    const page = s.page;
    await loginAsAdmin(page);
    await page.goto("/admin/backups");
    await page.locator(`[data-testid="orphaned-backup-row"][data-server="${server.name}"]`).first().waitFor();
    const form = page.getByTestId("restore-terminated");
    await form.getByLabel("Backup").selectOption(backupId);
    await form.getByLabel("New server's hostname").fill("back.example.test");
    await s.shot("backups-08-terminated-server");
    await form.getByRole("button", { name: "Restore as a new server" }).click();
    await form.getByText(/being made from the backup/).waitFor();
  } finally {
    await s.close();
  }
  const copy = await f.db.vServer.findFirstOrThrow({ where: { hostname: "back.example.test", ownerId: owner } });
  restored = { id: copy.id, name: copy.name };
  const job = await f.db.job.findFirstOrThrow({ where: { vserverId: copy.id, type: "backup.restore-as-new" } });
  await waitForJob(f.db, job.id);
  const r = vserverCli(copy.name, "exec", "/bin/cat", "/root/data/other.txt");
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), "second", "the file as it was in the backup");
  assert.notEqual(vserverCli(copy.name, "exec", "/bin/cat", "/root/data/new.txt").code, 0, "a file made after the backup is not there");
});
