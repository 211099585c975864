/** The panel's colour themes: follow the OS, or a user's fixed choice (kept in their account). */
import { z } from "zod";

/** The choices, in the order the toggle offers them. */
export const themes = ["system", "light", "dark"] as const;

/** One choice. */
export type Theme = (typeof themes)[number];

/** Input: one of the choices. */
export const themeInput = z.enum(themes, { message: `must be one of ${themes.join(", ")}` });

/** A stored value read back (anything unknown follows the OS). */
export function asTheme(value: string | null | undefined): Theme {
  return (themes as readonly string[]).includes(value ?? "") ? (value as Theme) : "system";
}
