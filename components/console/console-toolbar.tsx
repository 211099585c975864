"use client";
/** The strip above a console: its state and size, search in the scrollback, and a new-shell button. */
import { useState } from "react";
import type { SearchAddon } from "@xterm/addon-search";
import type { ConsolePhase } from "./console-terminal";

const phaseText: Record<ConsolePhase, string> = { connecting: "connecting…", open: "connected", closed: "closed" };
const phaseDot: Record<ConsolePhase, string> = { connecting: "bg-amber-400", open: "bg-emerald-500", closed: "bg-slate-400" };

/** Toolbar props. */
export interface ConsoleToolbarProps {
  phase: ConsolePhase;
  /** The page's live connection is down (refused or lost): said instead of "connecting…". */
  offline?: boolean;
  size: { cols: number; rows: number };
  search: SearchAddon | null;
  onRestart: (() => void) | null;
}

/** The toolbar. */
export function ConsoleToolbar({ phase, offline = false, size, search, onRestart }: ConsoleToolbarProps) {
  const [query, setQuery] = useState("");
  const find = (back: boolean) => {
    if (!search || !query) return;
    const opts = { decorations: { matchOverviewRuler: "#fbbf24", activeMatchColorOverviewRuler: "#f59e0b", matchBackground: "#78350f", activeMatchBackground: "#b45309" } };
    if (back) search.findPrevious(query, opts);
    else search.findNext(query, opts);
  };
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-t-md bg-slate-800 px-3 py-1.5 text-xs text-slate-200">
      <span className="inline-flex items-center gap-1.5" data-testid="console-phase" data-offline={offline && phase !== "open" ? "1" : undefined}>
        <span className={`h-2 w-2 rounded-full ${offline && phase !== "open" ? "bg-red-500" : phaseDot[phase]}`} aria-hidden />
        {offline && phase !== "open" ? "no connection to the panel" : phaseText[phase]}
      </span>
      <span className="font-mono text-slate-400" data-testid="console-size">
        {size.cols}×{size.rows}
      </span>
      <span className="text-slate-400">Ctrl+Shift+C / Ctrl+V: copy / paste</span>
      <form
        className="ml-auto flex items-center gap-1"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          find(false);
        }}
      >
        <input
          aria-label="Search the scrollback"
          placeholder="Search…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && e.shiftKey) {
              e.preventDefault();
              find(true);
            }
          }}
          className="w-40 rounded bg-slate-900 px-2 py-0.5 text-slate-100 ring-1 ring-slate-700 placeholder:text-slate-500"
        />
        <button type="button" className="rounded px-1.5 py-0.5 hover:bg-slate-700" onClick={() => find(true)} aria-label="Previous match">
          ↑
        </button>
        <button type="submit" className="rounded px-1.5 py-0.5 hover:bg-slate-700" aria-label="Next match">
          ↓
        </button>
      </form>
      {onRestart ? (
        <button type="button" className="rounded px-2 py-0.5 ring-1 ring-slate-600 hover:bg-slate-700" onClick={onRestart}>
          New shell
        </button>
      ) : null}
    </div>
  );
}
