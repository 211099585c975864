/**
 * The browser console on the real stack (panel, agent, kernel): a customer opens the
 * console of its running server from the server page and reads the server's hostname
 * back; the guest's `stty size` follows the browser window; colours and UTF-8 render;
 * paste and copy work; a dropped connection gets a fresh shell with a notice; a second
 * console runs beside the first; closing the tab leaves no shell in the guest (vps) and
 * the sessions are in ConsoleSession and the audit log with start and end. Another
 * customer gets a 404 page and a refused ticket, and forged or borrowed tickets in a
 * hand-made console.open are refused. An idle console closes after the configured time
 * with a notice. A support user's console opened under an admin's grant ends, with the
 * reason in the terminal, when the grant is revoked. A stopped server shows why there
 * is no console, and no terminal.
 * Screenshots: e2e/output/console-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import type { BrowserContext } from "playwright-core";
import { signConsoleTicket, newTicketNonce } from "@/lib/server/console/console-ticket";
import { CONSOLE_IDLE_SETTING } from "@/lib/server/console/console-settings";
import { cliActor } from "@/lib/server/actor";
import { requestPower } from "@/lib/server/vservers/request-power";
import { grantSupportConsole, revokeSupportConsole } from "@/lib/server/console/support-console-grants";
import { createUser } from "../testing/users";
import { baseUrl, login, openBrowser, type BrowserSession } from "../testing/browser";
import { openClipboardPage, type ClipboardPage } from "../testing/clipboard-page";
import { guestProcesses, makeConsoleFixture, typeLine, waitForJob, waitForLine, type ConsoleFixture } from "./console-fixture";

let f: ConsoleFixture;
let alice: BrowserSession;
let bob: BrowserSession;
let clip: ClipboardPage;
let openedAt = new Date();

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A socket.io connection from this process with a browser context's session cookie. */
async function socketAs(context: BrowserContext): Promise<Socket> {
  const cookie = (await context.cookies(baseUrl())).map((c) => `${c.name}=${c.value}`).join("; ");
  const socket = io(baseUrl(), { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Sends console.open with a ticket and returns the answer for it. */
function openWith(socket: Socket, ticket: string): Promise<{ type: string; reason?: string; message?: string }> {
  const ref = `forged-${Math.random().toString(36).slice(2)}`;
  return new Promise((resolve) => {
    const onMsg = (m: { type: string; ref?: string }) => {
      if ((m.type === "console.closed" || m.type === "console.opened") && m.ref === ref) {
        socket.off("msg", onMsg);
        resolve(m);
      }
    };
    socket.on("msg", onMsg);
    socket.emit("msg", { type: "console.open", ref, ticket, cols: 80, rows: 24 });
  });
}

before(async () => {
  f = await makeConsoleFixture();
  alice = await openBrowser();
  bob = await openBrowser();
  // The panel's pages may not read the clipboard (Permissions-Policy): the test reads it from a page of its own.
  clip = await openClipboardPage(alice.context, () => alice.page);
  await login(alice.page, f.alice.email, f.password);
  await alice.page.waitForURL(/\/servers$/);
  await login(bob.page, f.bob.email, f.password);
  await bob.page.waitForURL(/\/servers$/);
});
after(async () => {
  await clip?.close();
  await alice?.close();
  await bob?.close();
  await f?.db.$disconnect();
});

test("a customer opens the console of its running server and reads the hostname back", async () => {
  const page = alice.page;
  await page.goto(`/servers/${f.server.id}`);
  await page.getByTestId("console-page-link").waitFor();
  await alice.shot("console-01-server-page");
  openedAt = new Date();
  await page.getByRole("link", { name: "Console", exact: true }).click();
  await page.waitForURL(new RegExp(`/servers/${f.server.id}/console$`));
  const term = page.getByTestId("console").first();
  await page.locator('[data-testid="console"][data-state="open"]').first().waitFor();
  await waitForLine(term, (l) => l.trim().length > 0);
  await typeLine(page, term, "hostname");
  await waitForLine(term, (l) => l.trim() === f.server.hostname);
  await typeLine(page, term, "id -u; tty");
  await waitForLine(term, (l) => /^\/dev\/pts\/\d+$/.test(l.trim()));
  await alice.shot("console-02-hostname");
});

test("the guest's stty size follows the browser window", async () => {
  const page = alice.page;
  const term = page.getByTestId("console").first();
  const size = async () => ({ cols: Number(await term.getAttribute("data-cols")), rows: Number(await term.getAttribute("data-rows")) });
  const before = await size();
  assert.ok(before.cols > 20 && before.rows > 5, JSON.stringify(before));
  await typeLine(page, term, "stty size");
  await waitForLine(term, (l) => l.trim() === `${before.rows} ${before.cols}`);
  await page.setViewportSize({ width: 900, height: 560 });
  await until("the terminal to refit", async () => (await size()).cols !== before.cols && (await size()).rows !== before.rows);
  const after = await size();
  await typeLine(page, term, "clear; stty size");
  await waitForLine(term, (l) => l.trim() === `${after.rows} ${after.cols}`);
  assert.ok(after.cols < before.cols, `${after.cols} < ${before.cols}`);
  await alice.shot("console-03-resized");
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("colours and UTF-8 render; paste and copy work", async () => {
  const page = alice.page;
  const term = page.getByTestId("console").first();
  await typeLine(page, term, "clear; printf '\\033[32mgrün ✓ €\\033[0m\\n'");
  await waitForLine(term, (l) => l.trim() === "grün ✓ €");
  const coloured = term.locator(".xterm-rows span", { hasText: "grün ✓ €" }).first();
  assert.match((await coloured.getAttribute("class")) ?? "", /xterm-fg-2/, "green foreground");
  await clip.write("echo pasted-$((40+2))");
  await term.locator(".xterm").click();
  await page.keyboard.press("Control+V");
  await page.keyboard.press("Enter");
  await waitForLine(term, (l) => l.trim() === "pasted-42");
  // Double-click the word on the output line (not the command line, which shows
  // "pasted-$((40+2))"); xterm's screen layer takes the mouse, so click by position.
  const word = await term.locator(".xterm-rows span", { hasText: /^pasted-42\s*$/ }).first().boundingBox();
  assert.ok(word);
  await page.mouse.dblclick(word.x + Math.min(word.width / 2, 30), word.y + word.height / 2);
  await page.keyboard.press("Control+Shift+C");
  await until("the copied text", async () => (await clip.read()) === "pasted-42");
  await alice.shot("console-04-utf8-colour-paste");
});

test("a dropped connection gets a fresh shell, with a notice in the terminal; the old shell is gone", async () => {
  const page = alice.page;
  const term = page.getByTestId("console").first();
  const before = await term.getAttribute("data-session");
  await typeLine(page, term, "clear; echo OLD=$$");
  const old = await waitForLine(term, (l) => /^OLD=\d+$/.test(l.trim()));
  // Reset the browser's connections to the panel, as a network drop would.
  execFileSync("ss", ["-K", "state", "established", `( sport = :${new URL(baseUrl()).port} )`], { stdio: "ignore" });
  await waitForLine(term, (l) => l.includes("connection to the panel lost"));
  await waitForLine(term, (l) => l.includes("reconnected: this is a new shell"), 30_000);
  await until("a new session", async () => ![before, "", null].includes(await term.getAttribute("data-session")));
  await typeLine(page, term, "echo NEW=$$");
  const fresh = await waitForLine(term, (l) => /^NEW=\d+$/.test(l.trim()));
  assert.notEqual(old.trim().slice(4), fresh.trim().slice(4), "another shell");
  await until("only the new shell in the guest", async () => (await guestProcesses(f)).length === 1);
  await alice.shot("console-05-reconnected");
});

test("a second console runs beside the first, each its own shell", async () => {
  const page = alice.page;
  await page.getByTestId("console-new-tab").click();
  const second = page.getByTestId("console").nth(1);
  await page.locator('[data-testid="console"][data-state="open"]').nth(1).waitFor();
  await waitForLine(second, (l) => l.trim().length > 0);
  const sessions = [await page.getByTestId("console").first().getAttribute("data-session"), await second.getAttribute("data-session")];
  assert.ok(sessions[0] && sessions[1] && sessions[0] !== sessions[1], JSON.stringify(sessions));
  await typeLine(page, second, "echo second-$((6*7))");
  await waitForLine(second, (l) => l.trim() === "second-42");
  const shells = (await guestProcesses(f)).filter((p) => /sh/.test(p.command));
  assert.ok(shells.length >= 2, `two shells in the guest: ${JSON.stringify(shells)}`);
  await alice.shot("console-06-second-console");
});

test("closing the tab ends the shells: nothing is left in the guest, and the sessions are recorded", async () => {
  await alice.page.close();
  // A fresh page for the tests after this one, also when an assertion below fails.
  alice.page = await alice.context.newPage();
  alice.shot = (name) => alice.page.screenshot({ path: path.resolve("e2e", "output", `${name}.png`), fullPage: true }).then(() => undefined);
  await until("an empty guest", async () => (await guestProcesses(f)).length === 0);
  const mine = { vserverId: f.server.id, userId: f.alice.id };
  // The rows were written by the panel before each shell opened; read until all three
  // are seen (and say which were, for the log, if they never are).
  let rows = await f.db.consoleSession.findMany({ where: mine });
  try {
    await until("three sessions", async () => (rows = await f.db.consoleSession.findMany({ where: mine })).length === 3, 5_000);
  } catch {
    const all = await f.db.consoleSession.findMany({ select: { id: true, userId: true, vserverId: true, startedAt: true } });
    assert.fail(`the first shell, the one after the reconnect, the second tab: ${rows.length} rows of alice's; all rows: ${JSON.stringify(all)}`);
  }
  await until("both ends recorded", async () => (await f.db.consoleSession.count({ where: { ...mine, endedAt: null } })) === 0);
  for (const r of await f.db.consoleSession.findMany({ where: { vserverId: f.server.id } })) {
    assert.ok(r.startedAt >= new Date(openedAt.getTime() - 1000), "started after the click");
    assert.ok(r.endedAt! >= r.startedAt);
    assert.ok(r.ip === "127.0.0.1" || r.ip === "::1", `from where: ${r.ip}`);
  }
  const audit = await f.db.auditLog.findMany({ where: { targetType: "vserver", targetId: f.server.id, action: { startsWith: "console." } }, orderBy: { at: "asc" } });
  assert.equal(audit.filter((a) => a.action === "console.open" && a.success && a.actorId === f.alice.id).length, 3);
  assert.equal(audit.filter((a) => a.action === "console.close" && a.actorId === f.alice.id).length, 3);
});

test("another customer gets a 404 page and no ticket; forged and borrowed tickets are refused", async () => {
  const page = bob.page;
  const res = await page.goto(`/servers/${f.server.id}/console`);
  assert.equal(res?.status(), 404);
  assert.equal(await page.locator(".xterm").count(), 0);
  await bob.shot("console-07-other-customer-404");
  const ticket = await page.request.post(`/servers/${f.server.id}/console/ticket`, { headers: { "x-vsp-console": "1" } });
  assert.equal(ticket.status(), 404);

  const secret = process.env.E2E_NEXTAUTH_SECRET!;
  const expiresAt = Date.now() + 30_000;
  const socket = await socketAs(bob.context);
  try {
    // Signed with the panel's key, for bob, but for alice's server: bob may not see it.
    const forBob = await openWith(socket, signConsoleTicket(secret, { nonce: newTicketNonce(), userId: f.bob.id, serverId: f.server.id, expiresAt }));
    assert.deepEqual([forBob.type, forBob.reason], ["console.closed", "refused"]);
    assert.match(forBob.message ?? "", /not found/i);
    // Alice's valid ticket, presented on bob's socket.
    const borrowed = await openWith(socket, signConsoleTicket(secret, { nonce: newTicketNonce(), userId: f.alice.id, serverId: f.server.id, expiresAt }));
    assert.deepEqual([borrowed.type, borrowed.reason], ["console.closed", "refused"]);
    // A ticket not signed by the panel.
    const forged = await openWith(socket, signConsoleTicket("x".repeat(48), { nonce: newTicketNonce(), userId: f.bob.id, serverId: f.server.id, expiresAt }));
    assert.deepEqual([forged.type, forged.reason], ["console.closed", "refused"]);
  } finally {
    socket.close();
  }
  assert.equal(await f.db.consoleSession.count({ where: { userId: f.bob.id } }), 0);
  const refused = await f.db.auditLog.count({ where: { actorId: f.bob.id, action: "console.open", success: false } });
  assert.equal(refused, 3);
  assert.deepEqual(await guestProcesses(f), []);
});

test("an idle console closes after the configured time, with a notice in the terminal", async () => {
  await f.db.setting.upsert({ where: { key: CONSOLE_IDLE_SETTING }, create: { key: CONSOLE_IDLE_SETTING, value: "1" }, update: { value: "1" } });
  try {
    const page = alice.page;
    await page.goto(`/servers/${f.server.id}/console`);
    const term = page.getByTestId("console").first();
    await page.locator('[data-testid="console"][data-state="open"]').first().waitFor();
    const sessionId = await term.getAttribute("data-session");
    await waitForLine(term, (l) => l.includes("console closed: no input for 1 minute"), 90_000);
    assert.equal(await term.getAttribute("data-state"), "closed");
    await waitForLine(term, (l) => l.includes("press Enter to start a new shell"));
    await alice.shot("console-08-idle");
    const row = await f.db.consoleSession.findUniqueOrThrow({ where: { id: sessionId! } });
    assert.ok(row.endedAt && row.endedAt.getTime() - row.startedAt.getTime() >= 59_000, "ended after a minute");
    const end = await f.db.auditLog.findFirstOrThrow({ where: { action: "console.close", details: { contains: sessionId! } } });
    assert.match(end.details, /"reason":"idle"/);
    await until("the shell to go", async () => (await guestProcesses(f)).length === 0);
  } finally {
    await f.db.setting.delete({ where: { key: CONSOLE_IDLE_SETTING } });
  }
});

test("a support console opened under an admin's grant ends when the grant is revoked, with the reason shown", async () => {
  const email = await createUser("SUPPORT", f.password);
  const support = await f.db.user.findUniqueOrThrow({ where: { email } });
  const adminId = (await f.db.user.findUniqueOrThrow({ where: { email: process.env.E2E_ADMIN_EMAIL! } })).id;
  const admin = cliActor(adminId);
  const grant = await grantSupportConsole(f.db, admin, f.server.id, { userId: support.id, minutes: 30 });
  const staff = await openBrowser();
  try {
    await login(staff.page, email, f.password);
    await staff.page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await staff.page.goto(`/servers/${f.server.id}/console`);
    const term = staff.page.getByTestId("console").first();
    await staff.page.locator('[data-testid="console"][data-state="open"]').first().waitFor();
    const sessionId = await term.getAttribute("data-session");
    await typeLine(staff.page, term, "echo GRANTED=$((20+22))");
    await waitForLine(term, (l) => l.trim() === "GRANTED=42");
    await revokeSupportConsole(f.db, admin, grant.id);
    // The relaying panel re-checks open consoles every 10 s.
    await waitForLine(term, (l) => l.includes("console closed: The customer has not allowed support consoles"), 30_000);
    assert.equal(await term.getAttribute("data-state"), "closed");
    await staff.shot("console-09-support-revoked");
    const end = await f.db.auditLog.findFirstOrThrow({ where: { action: "console.close", details: { contains: sessionId! } } });
    assert.match(end.details, /"reason":"revoked"/);
    await until("the support shell to go", async () => (await guestProcesses(f)).length === 0);
  } finally {
    await staff.close();
  }
});

test("a stopped server shows why there is no console, and no terminal", async () => {
  const stop = await requestPower(f.db, cliActor(f.alice.id, "CUSTOMER"), f.server.id, "stop");
  await waitForJob(f.db, stop.jobId);
  const page = alice.page;
  await page.goto(`/servers/${f.server.id}/console`);
  const why = page.getByTestId("console-unavailable");
  await why.waitFor();
  assert.match(await why.innerText(), /stopped/i);
  assert.equal(await page.locator(".xterm").count(), 0);
  await alice.shot("console-10-stopped");
  await page.goto(`/servers/${f.server.id}`);
  assert.match(await page.getByTestId("console-unavailable").innerText(), /stopped/i);
  assert.equal(await page.getByRole("link", { name: "Console", exact: true }).count(), 0);
  const ticket = await page.request.post(`/servers/${f.server.id}/console/ticket`, { headers: { "x-vsp-console": "1" } });
  assert.equal(ticket.status(), 409);
});
