/**
 * OSC 52 (`ESC ] 52 ; c ; DATA BEL`) from a guest, judged for the operator: a guest is
 * hostile (SECURITY.md), and the person at the console may be support staff or an admin
 * whose clipboard holds tokens and passwords, and whose next paste may go into a host
 * shell. So a query (`?`) is never answered — nothing of the clipboard reaches the
 * guest — and a write is never made: it becomes a request the console shows to the
 * operator, who may copy the text with a click (components/console/clipboard-request.tsx).
 * The terminal's own clipboard add-on is not loaded: it answers queries and writes
 * silently.
 */
import type { IDisposable, Terminal } from "@xterm/xterm";

/** What a guest asked of the clipboard. */
export type GuestClipboardRequest = { kind: "read" } | { kind: "write"; text: string } | { kind: "refused"; why: string };

/** The longest text a guest may offer (characters). */
export const maxGuestClipboardChars = 16_384;

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Tab, newline and carriage return are text; any other control character could act
// where the text is pasted (an escape sequence in a terminal, for one).
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Reads the data of one OSC 52 sequence (`SELECTION;PAYLOAD`). Malformed data, an
 * empty payload (a request to clear) and anything not valid base64 of UTF-8 ask nothing
 * (null); a payload too long or with control characters is refused with the reason.
 */
export function parseOsc52(data: string): GuestClipboardRequest | null {
  const sep = data.indexOf(";");
  if (sep < 0 || !/^[cpqs0-7]*$/.test(data.slice(0, sep))) return null;
  const payload = data.slice(sep + 1);
  if (payload === "?") return { kind: "read" };
  if (payload === "" || !base64.test(payload)) return null;
  if (payload.length > Math.ceil(maxGuestClipboardChars / 3) * 4 * 4) return { kind: "refused", why: "the text is too long" };
  let text: string;
  try {
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  if (text.length === 0) return null;
  if (text.length > maxGuestClipboardChars) return { kind: "refused", why: "the text is too long" };
  if (controls.test(text)) return { kind: "refused", why: "the text has control characters" };
  return { kind: "write", text };
}

/** Handles OSC 52 on a terminal: nothing is ever read or written; each request goes to `onRequest`. */
export function guardGuestClipboard(term: Terminal, onRequest: (request: GuestClipboardRequest) => void): IDisposable {
  return term.parser.registerOscHandler(52, (data) => {
    const request = parseOsc52(data);
    if (request) onRequest(request);
    return true; // handled: no other handler (and no add-on) sees it
  });
}
