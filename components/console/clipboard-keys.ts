/**
 * Copy and paste keys as people expect them in a browser terminal: Ctrl+Shift+C copies
 * the selection, Ctrl+C copies when something is selected (and is ^C otherwise),
 * Ctrl+V and Ctrl+Shift+V paste (the browser's paste event, which xterm turns into
 * input, bracketed when the shell asked for it). Programs in the guest cannot read or
 * set the clipboard: OSC 52 only asks the operator (guest-clipboard.ts).
 */
import type { Terminal } from "@xterm/xterm";

function copy(term: Terminal): void {
  const text = term.getSelection();
  if (!text) return;
  // The async clipboard needs a secure context; the copy command works on plain http too
  // (xterm answers it from its selection).
  if (navigator.clipboard?.writeText) void navigator.clipboard.writeText(text).catch(() => document.execCommand("copy"));
  else document.execCommand("copy");
}

/** Installs the keys on a terminal. */
export function installClipboardKeys(term: Terminal): void {
  term.attachCustomKeyEventHandler((e) => {
    if (e.type !== "keydown" || !e.ctrlKey || e.altKey || e.metaKey) return true;
    const key = e.key.toLowerCase();
    if (key === "c" && (e.shiftKey || term.hasSelection())) {
      e.preventDefault();
      copy(term);
      if (!e.shiftKey) term.clearSelection();
      return false;
    }
    // Not handled by xterm: the browser pastes into xterm's textarea.
    if (key === "v") return false;
    return true;
  });
}
