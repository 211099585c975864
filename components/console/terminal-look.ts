/** How the console's terminal looks, and the notices the console writes into it. */
import type { ITerminalOptions } from "@xterm/xterm";

/** xterm options: a dark theme, a monospace font that has box drawing, a long scrollback. */
export const terminalOptions: ITerminalOptions = {
  cursorBlink: true,
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
  fontSize: 14,
  scrollback: 5000,
  // The search add-on's match highlighting uses decorations, a proposed API.
  allowProposedApi: true,
  theme: {
    background: "#0b1020",
    foreground: "#e2e8f0",
    cursor: "#a5b4fc",
    selectionBackground: "#4f46e566",
  },
};

/** A notice line written into the terminal itself (yellow, or red for errors), on its own line. */
export function notice(text: string, kind: "info" | "error" = "info"): string {
  // Strip control characters so a message can never be read as a terminal escape.
  const clean = Array.from(text, (ch) => {
    const c = ch.codePointAt(0)!;
    return c < 0x20 || (c >= 0x7f && c < 0xa0) ? " " : ch;
  }).join("");
  return `\r\n\x1b[1;${kind === "error" ? "31" : "33"}m[${clean}]\x1b[0m\r\n`;
}
