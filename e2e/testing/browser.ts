/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own
 * browsers here). Each test gets a fresh profile; screenshots go to e2e/output/ so a
 * person can look at every step.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The base URL of the panel under test (set by scripts/test/run.ts). */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error("E2E_BASE_URL is not set: run browser tests through `npm test`");
  return url;
}

/** A browser session for one test. */
export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Saves a screenshot as e2e/output/<name>.png. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with a fresh profile; `baseURL` opens the panel at another
 * address than E2E_BASE_URL's; `acceptSelfSigned` accepts a certificate the test made
 * (nginx in front of the panel), for this session only.
 */
export async function openBrowser(options: { baseURL?: string; acceptSelfSigned?: boolean } = {}): Promise<BrowserSession> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "vst-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    baseURL: options.baseURL ?? baseUrl(),
    ignoreHTTPSErrors: options.acceptSelfSigned ?? false,
    viewport: { width: 1280, height: 800 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const outDir = path.resolve("e2e", "output");
  fs.mkdirSync(outDir, { recursive: true });
  return {
    context,
    page,
    shot: async (name) => {
      await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in as the stack's admin (E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD) and waits for the admin's home page. */
export async function loginAsAdmin(page: Page): Promise<void> {
  await login(page, process.env.E2E_ADMIN_EMAIL!, process.env.E2E_ADMIN_PASSWORD!);
  await page.waitForURL(/\/admin$/);
}

/**
 * First sign-in of an account whose password someone else set (an admin's or reseller's
 * one-time secret): the panel holds it on /password/change until it chooses its own,
 * then ends the session; it signs in again with the new one. Returns the new password.
 */
export async function firstLogin(page: Page, email: string, secret: string): Promise<string> {
  await login(page, email, secret);
  await page.waitForURL((url) => url.pathname === "/password/change");
  const chosen = `own-${secret.slice(0, 8)}-chosen`;
  const form = page.getByTestId("password-form");
  await form.getByLabel("Current password").fill(secret);
  await form.getByLabel("New password").fill(chosen);
  await form.getByRole("button", { name: "Change password" }).click();
  await page.waitForURL((url) => url.pathname === "/login" && url.searchParams.get("reason") === "password-changed");
  await login(page, email, chosen);
  return chosen;
}
