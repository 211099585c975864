/**
 * Accessibility and small-screen checks for any page: axe-core (WCAG 2 A and AA rules)
 * with no serious or critical violation, and no part of the page wider than the
 * viewport (a phone must not scroll sideways; wide tables scroll inside their own box).
 */
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";

/** Runs axe on the page as it is; fails naming each serious or critical violation and where. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} ${n.failureSummary?.split("\n").slice(1, 2).join("") ?? ""}`).join(" | ")}`),
    [],
    `axe on ${what}`,
  );
}

/** Fails when the document is wider than the viewport (sideways scrolling on a phone). */
export async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const { scroll, client, culprits } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 1) return false;
        // Inside a box that scrolls sideways by itself is fine (tables, code).
        for (let p = el.parentElement; p; p = p.parentElement) {
          const o = getComputedStyle(p).overflowX;
          if ((o === "auto" || o === "scroll" || o === "hidden") && p.getBoundingClientRect().right <= width + 1) return false;
        }
        return true;
      })
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].slice(0, 4).join(".")} (${Math.round(el.getBoundingClientRect().right)}px)`);
    return { scroll: document.documentElement.scrollWidth, client: width, culprits: wide };
  });
  assert.ok(scroll <= client + 1, `${what} is ${scroll}px wide in a ${client}px viewport: ${culprits.join(", ")}`);
}
