"use client";
/**
 * Light / dark / follow the system, remembered in the user's account. The choice shows
 * at once (the `<html>` attribute the stylesheet keys on) and is stored in the background;
 * the next page comes from the server already in it.
 */
import { useState } from "react";
import { setThemeAction } from "@/lib/actions/theme/set-theme-action";
import { themes, type Theme } from "@/lib/theme";
import { AlertLine } from "@/components/ui/outcome-line";

const labels: Record<Theme, string> = { system: "System", light: "Light", dark: "Dark" };

/** The toggle (a radio group of three). */
export function ThemeToggle({ initial }: { initial: Theme }) {
  const [theme, setTheme] = useState<Theme>(initial);
  const [error, setError] = useState<string | null>(null);
  return (
    <fieldset className="px-3" data-testid="theme-toggle">
      <legend className="mb-1 text-xs text-slate-400">Theme</legend>
      <div className="flex rounded-md bg-slate-800 p-0.5">
        {themes.map((t) => (
          <label key={t} className={`flex-1 cursor-pointer rounded px-2 py-1 text-center text-xs font-medium ${theme === t ? "bg-slate-600 text-white" : "text-slate-300 hover:text-white"}`}>
            <input
              type="radio"
              name="theme"
              value={t}
              checked={theme === t}
              className="sr-only"
              onChange={async () => {
                setTheme(t);
                document.documentElement.dataset.theme = t;
                const r = await setThemeAction(t);
                setError(r.ok ? null : r.message);
              }}
            />
            {labels[t]}
          </label>
        ))}
      </div>
      <AlertLine text={error} className="mt-1 text-xs text-red-300" />
    </fieldset>
  );
}
