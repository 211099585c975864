/**
 * The in-page probe of the console benchmark, the same for the panel's console and the
 * floor: a keystroke is timed from its keydown (a capture listener, before xterm sees
 * it) to (a) the output event of the terminal's element carrying the echoed character
 * (xterm has parsed it) and (b) the first DOM change of xterm's rows showing it (on
 * screen). An open is timed from the click to the first prompt of the new terminal.
 */
import type { Page } from "playwright-core";

/** One keystroke's times in ms. */
export interface EchoSample {
  parsed: number;
  shown: number;
}

/**
 * The probe's source, installed in the page (idempotent). Plain JavaScript in a string:
 * a function passed to page.evaluate would carry tsx's helper calls into the page.
 */
const probeSource = String.raw`(() => {
  if (window.__vspBench) return;
  const event = "vsp-console-output";
  let key = null;
  let open = null;
  const finishKey = () => {
    if (key && key.parsed && key.shown) {
      key.done({ parsed: key.parsed, shown: key.shown });
      key = null;
    }
  };
  document.addEventListener("keydown", () => { if (key && !key.t0) key.t0 = performance.now(); }, true);
  document.addEventListener("click", () => { if (open && !open.t0) open.t0 = performance.now(); }, true);
  document.addEventListener(event, (e) => {
    const data = e.detail;
    if (key && key.t0 && !key.parsed && data.includes(key.ch)) {
      key.parsed = performance.now() - key.t0;
      finishKey();
    }
    if (open && open.t0 && e.target && !open.before.has(e.target)) {
      const text = (open.text.get(e.target) || "") + data.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
      open.text.set(e.target, text);
      if (/[#$] $/.test(text)) {
        open.done(performance.now() - open.t0);
        open = null;
      }
    }
  }, true);
  new MutationObserver((records) => {
    if (!key || !key.parsed || key.shown) return;
    const ch = key.ch;
    if (records.some((r) => (r.target.textContent || "").includes(ch))) {
      key.shown = performance.now() - key.t0;
      finishKey();
    }
  }).observe(document.body, { childList: true, characterData: true, subtree: true });
  const screens = () => new Set(Array.from(document.querySelectorAll('[data-testid="console-screen"]')));
  window.__vspBench = {
    armKey(ch) {
      let done = () => {};
      const result = new Promise((r) => (done = r));
      key = { ch, t0: 0, parsed: 0, shown: 0, done, result };
      setTimeout(() => done(null), 3000);
    },
    keyResult: () => (key ? key.result : Promise.resolve(null)),
    armOpen() {
      let done = () => {};
      const result = new Promise((r) => (done = r));
      open = { t0: 0, before: screens(), text: new Map(), done, result };
      setTimeout(() => done(null), 20000);
    },
    openResult: () => (open ? open.result : Promise.resolve(null)),
  };
})()`;

/** Makes sure the probe is in the page. */
export async function installProbe(page: Page): Promise<void> {
  await page.evaluate(probeSource);
}

/** Times one keystroke; null when no echo came within 3 s. */
export async function timeKeystroke(page: Page, ch: string): Promise<EchoSample | null> {
  await page.evaluate(`window.__vspBench.armKey(${JSON.stringify(ch)})`);
  const result = page.evaluate("window.__vspBench.keyResult()") as Promise<EchoSample | null>;
  await page.keyboard.press(ch);
  return result;
}

/** Times `click` to the new terminal's first prompt; null when none came within 20 s. */
export async function timeOpen(page: Page, click: () => Promise<void>): Promise<number | null> {
  await page.evaluate("window.__vspBench.armOpen()");
  const result = page.evaluate("window.__vspBench.openResult()") as Promise<number | null>;
  await click();
  return result;
}

/** Times `n` keystrokes into `cat` (the guest's tty echoes them); a line ends every 40 keys, untimed. */
export async function timeKeystrokes(page: Page, n: number): Promise<EchoSample[]> {
  const out: EchoSample[] = [];
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (let i = 0; i < n; i++) {
    const s = await timeKeystroke(page, letters[i % letters.length]!);
    if (s) out.push(s);
    if (i % 40 === 39) {
      await page.keyboard.press("Enter");
      await page.waitForTimeout(30);
    }
  }
  return out;
}
