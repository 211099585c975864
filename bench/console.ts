/**
 * The browser console against its floor, in ONE run, both in Debian's Chromium driven by
 * Playwright with the same probe (bench/console-probe.ts):
 *   1. keystroke → echo: a key typed into `cat` in the console of a running busybox
 *      server, through browser → socket.io → panel → agent (WebSocket) → vs-enter →
 *      guest pty and back; against a shell spawned by node-pty in a process beside the
 *      panel, one socket.io hop from the same xterm.js (bench/console-floor.ts);
 *   2. console open: a click on "New console" to the first prompt (ticket, redeem,
 *      ConsoleSession row, agent stream, entering the server, login shell) against a
 *      click on the floor's "New shell" (a new pty with a login shell).
 * The panel runs as in the browser tests (scripts/test/e2e-stack.ts: production build,
 * real agent on temporary VSERVER_* dirs). BENCH_N keystrokes per side (default and
 * minimum 500) in 5 interleaved rounds; 20 opens per side. Needs root (the agent).
 *
 *   BENCH_ONLY=console npx tsx bench/run.ts
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { startE2eStack } from "@/scripts/test/e2e-stack";
import { login, openBrowser } from "@/e2e/testing/browser";
import { makeConsoleFixture } from "@/e2e/console/console-fixture";
import { percentile, type BenchTable } from "./lib/stats";
import { startFloor } from "./console-floor";
import { installProbe, timeKeystrokes, timeOpen, type EchoSample } from "./console-probe";

const KEYS = Math.max(500, Number(process.env.BENCH_N ?? 500));
const ROUNDS = 5;
const OPENS = 20;

function row(measure: string, tool: string, samples: number[], floor: number[] | null): string[] {
  const p50 = percentile(samples, 50);
  const ratio = floor ? (p50 / percentile(floor, 50)).toFixed(2) : "1.00";
  return [measure, tool, p50.toFixed(1), percentile(samples, 90).toFixed(1), percentile(samples, 99).toFixed(1), String(samples.length), ratio];
}

async function startCat(page: Page): Promise<void> {
  await page.locator('[data-testid="console-screen"] .xterm').first().click();
  await page.keyboard.type("cat");
  await page.keyboard.press("Enter");
  await page.waitForTimeout(500);
}

/** Runs the benchmark; returns its table. */
export async function run(): Promise<BenchTable[]> {
  if (process.getuid?.() !== 0) throw new Error("needs root (the agent)");
  const root = path.resolve(import.meta.dirname, "..");
  const stack = await startE2eStack(root);
  Object.assign(process.env, stack.env);
  const floor = await startFloor();
  const browser = await openBrowser();
  try {
    const f = await makeConsoleFixture();
    const panel = browser.page;
    await login(panel, f.alice.email, f.password);
    await panel.waitForURL(/\/servers$/);
    await panel.goto(`/servers/${f.server.id}/console`);
    await panel.locator('[data-testid="console"][data-state="open"]').first().waitFor();
    const floorPage = await browser.context.newPage();
    await floorPage.goto(floor.url);
    await floorPage.locator(".xterm").waitFor();
    for (const p of [panel, floorPage]) await installProbe(p);

    // Opens first (each side alternately), then keystrokes in a fresh shell of each.
    const opens: Record<"panel" | "floor", number[]> = { panel: [], floor: [] };
    for (let i = 0; i < OPENS; i++) {
      await panel.bringToFront();
      const ms = await timeOpen(panel, () => panel.getByTestId("console-new-tab").click());
      if (ms !== null) opens.panel.push(ms);
      await panel.getByRole("button", { name: "Close console 2" }).click();
      await floorPage.bringToFront();
      const fm = await timeOpen(floorPage, () => floorPage.getByTestId("floor-new").click());
      if (fm !== null) opens.floor.push(fm);
    }
    const keys: Record<"panel" | "floor", EchoSample[]> = { panel: [], floor: [] };
    for (const p of [panel, floorPage]) {
      await p.bringToFront();
      await startCat(p);
      await timeKeystrokes(p, 20); // warm-up
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, p] of [["panel", panel], ["floor", floorPage]] as const) {
        await p.bringToFront();
        await p.locator('[data-testid="console-screen"] .xterm').first().click();
        keys[name].push(...(await timeKeystrokes(p, Math.ceil(KEYS / ROUNDS))));
      }
    }
    await f.db.$disconnect();
    const parsed = (s: EchoSample[]) => s.map((x) => x.parsed);
    const shown = (s: EchoSample[]) => s.map((x) => x.shown);
    const p50 = percentile(parsed(keys.panel), 50);
    const goal = p50 < 10 && p50 <= 2 * percentile(parsed(keys.floor), 50);
    return [
      {
        title: "console: browser → panel → agent → guest pty and back, against node-pty beside the panel (ms)",
        samples: `${KEYS} keystrokes per side in ${ROUNDS} interleaved rounds, ${OPENS} opens per side`,
        header: ["measure", "path", "p50", "p90", "p99", "n", "÷ floor p50"],
        rows: [
          row("keystroke → echo parsed", "panel console", parsed(keys.panel), parsed(keys.floor)),
          row("keystroke → echo parsed", "floor (node-pty)", parsed(keys.floor), null),
          row("keystroke → echo on screen", "panel console", shown(keys.panel), shown(keys.floor)),
          row("keystroke → echo on screen", "floor (node-pty)", shown(keys.floor), null),
          row("open: click → prompt", "panel console", opens.panel, opens.floor),
          row("open: click → prompt", "floor (node-pty)", opens.floor, null),
        ],
        notes: [
          `goal (echo parsed p50 < 10 ms and ≤ 2× the floor): ${goal ? "met" : "NOT met"}`,
          "parsed = keydown to xterm having parsed the echo; on screen = to the DOM row change (includes waiting for the next animation frame)",
        ],
      },
    ];
  } finally {
    await browser.close();
    await floor.close();
    await stack.stop();
  }
}
