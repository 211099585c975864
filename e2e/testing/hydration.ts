/**
 * Waiting for React to own an element before a test drives it. A page the panel renders
 * on the server is visible (and Playwright's actions go ahead) before React has hydrated
 * it; an input or change event sent in between moves the DOM but no React state, and is
 * lost. A loaded two-core CI machine makes that window a second wide.
 */
import type { Locator } from "playwright-core";

/**
 * Resolves once React has hydrated the element: React hangs its props on every DOM node
 * it owns under a `__reactProps$…` key, so its presence means the handlers are live.
 */
export async function whenHydrated(target: Locator, timeoutMs = 30_000): Promise<void> {
  const element = target.first();
  await element.waitFor({ state: "attached", timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  // Asked from here, not polled inside the page: code handed to evaluate() must not
  // define named functions (the test loader's helpers do not exist in the page).
  while (!(await element.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps$"))))) {
    if (Date.now() > deadline) throw new Error(`React did not hydrate the element within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
