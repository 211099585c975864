"use client";
/**
 * Several consoles on one server at once: each tab is its own login shell (its own
 * ticket and session); closing a tab hangs up its shell. Hidden tabs keep running.
 */
import { useState } from "react";
import { ConsoleTerminal } from "./console-terminal";

/** Tabs of consoles for one server; starts with one. */
export function ConsoleTabs({ serverId, serverName }: { serverId: string; serverName: string }) {
  const [tabs, setTabs] = useState<{ id: number; title: string }[]>([{ id: 1, title: serverName }]);
  const [active, setActive] = useState(1);
  const [next, setNext] = useState(2);
  const add = () => {
    setTabs((t) => [...t, { id: next, title: serverName }]);
    setActive(next);
    setNext((n) => n + 1);
  };
  const remove = (id: number) => {
    const left = tabs.filter((t) => t.id !== id);
    setTabs(left);
    if (active === id && left.length) setActive(left[left.length - 1]!.id);
  };
  return (
    <div className="flex h-full min-h-0 flex-col">
      {/* A group of toggle buttons rather than an ARIA tablist: each console has its own
          close button beside it, which a tablist may not contain. */}
      <div className="mb-2 flex flex-wrap items-center gap-1" role="group" aria-label="Consoles">
        {tabs.map((t, i) => (
          <span key={t.id} className={`inline-flex items-center rounded-md text-sm ring-1 ${t.id === active ? "bg-slate-800 text-white ring-slate-800" : "ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800"}`}>
            <button type="button" aria-pressed={t.id === active} className="px-3 py-1" onClick={() => setActive(t.id)} data-testid="console-tab">
              {i + 1}: {t.title}
            </button>
            <button type="button" aria-label={`Close console ${i + 1}`} className="px-2 py-1 opacity-70 hover:opacity-100" onClick={() => remove(t.id)}>
              ×
            </button>
          </span>
        ))}
        <button type="button" className="rounded-md px-3 py-1 text-sm ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800" onClick={add} data-testid="console-new-tab">
          + New console
        </button>
      </div>
      {tabs.length === 0 ? <p className="text-sm text-slate-500">No console open. Start one with “New console”.</p> : null}
      {tabs.map((t) => (
        <div key={t.id} role="region" aria-label={`Console ${tabs.indexOf(t) + 1}`} className={t.id === active ? "flex min-h-0 flex-1 flex-col" : "hidden"}>
          <ConsoleTerminal serverId={serverId} className="h-full" onHostname={(h) => setTabs((all) => all.map((x) => (x.id === t.id && x.title !== h ? { ...x, title: h } : x)))} />
        </div>
      ))}
    </div>
  );
}
