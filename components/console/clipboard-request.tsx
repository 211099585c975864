"use client";
/**
 * What a guest asked of the operator's clipboard, shown above the console
 * (guest-clipboard.ts): a refused read, a refused write and why, or a write waiting for
 * the operator — the whole text, exactly, with its length — that only a click on
 * "Copy to clipboard" copies. While one request waits, the guest cannot swap its text.
 */
import { Button } from "@/components/ui/button";

/** What the bar shows. */
export type ClipboardNotice = { kind: "read" } | { kind: "refused"; why: string } | { kind: "write"; text: string };

/** Copies text on the operator's click (the async API where allowed, else the copy command). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // fall through: a plain-http panel has no async clipboard
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

/** The bar; `onDone` closes it. */
export function ClipboardRequest({ notice, onDone }: { notice: ClipboardNotice; onDone: () => void }) {
  const box = "flex flex-wrap items-start gap-3 border-b border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100";
  if (notice.kind !== "write") {
    return (
      <div className={box} role="status" data-testid={notice.kind === "read" ? "console-clipboard-read-refused" : "console-clipboard-write-refused"}>
        <p className="flex-1">
          {notice.kind === "read"
            ? "This server asked to read your clipboard. The console never gives it."
            : `This server asked to put text on your clipboard; refused: ${notice.why}.`}
        </p>
        <Button look="secondary" className="!py-1" onClick={onDone}>
          Dismiss
        </Button>
      </div>
    );
  }
  const lines = notice.text.split("\n").length;
  return (
    <div className={box} role="alertdialog" aria-label="Clipboard request from the server" data-testid="console-clipboard-request">
      <div className="min-w-0 flex-1 space-y-1">
        <p>
          This server wants to put this text on your clipboard ({notice.text.length} characters, {lines} {lines === 1 ? "line" : "lines"}). Copy it only if you mean to paste it.
        </p>
        <pre className="max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-white p-2 font-mono text-xs text-slate-900 ring-1 ring-amber-300 dark:bg-slate-900 dark:text-slate-100" data-testid="console-clipboard-text">
          {notice.text}
        </pre>
      </div>
      <div className="flex gap-2">
        <Button className="!py-1" onClick={() => void copyText(notice.text).finally(onDone)}>
          Copy to clipboard
        </Button>
        <Button look="secondary" className="!py-1" onClick={onDone}>
          Dismiss
        </Button>
      </div>
    </div>
  );
}
