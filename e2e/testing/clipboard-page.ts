/**
 * The browser's clipboard, read and written from outside the panel: a blank page served
 * by the test itself on 127.0.0.1 (a secure context, and no Permissions-Policy of the
 * panel's, which denies clipboard reads on its own pages), opened as another tab of the
 * same browser, whose clipboard it shares. The context is granted clipboard permissions
 * for the panel's origin too, so a page of the panel that tried to read or write the
 * clipboard could: a test that finds the clipboard untouched shows the panel did not.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { baseUrl } from "./browser";

/** The clipboard of a browser context. */
export interface ClipboardPage {
  read(): Promise<string>;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Grants clipboard access to the panel and the helper page, and opens the helper; after
 * each use `main` is brought to the front again (a page in the background may not render).
 */
export async function openClipboardPage(context: BrowserContext, main: () => Page): Promise<ClipboardPage> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>clipboard</title><p>clipboard helper</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const o of [origin, baseUrl()]) await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: o });
  const page: Page = await context.newPage();
  await page.goto(origin);
  // A new tab comes to the front; the page under test must stay there (background tabs get slow timers).
  await main().bringToFront();
  return {
    read: async () => {
      await page.bringToFront();
      const text = await page.evaluate(() => navigator.clipboard.readText());
      await main().bringToFront();
      return text;
    },
    write: async (text) => {
      await page.bringToFront();
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await main().bringToFront();
    },
    close: async () => {
      await page.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
