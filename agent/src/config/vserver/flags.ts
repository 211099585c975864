/**
 * The `flags` file: one flag per line. Only flags this agent implements exist; an
 * unknown one is an error (a typo must not silently change nothing):
 *
 * - `noreboot`   a `reboot` inside the guest stops the server instead of restarting it
 * - `runtmpfs`   mount an empty tmpfs on /run at start (for inits that expect one)
 * - `nonewprivs` PR_SET_NO_NEW_PRIVS for the init and everything entered (breaks setuid
 *                programs in the guest; for servers that need none)
 */
import { badConfig, readLines } from "./value-files";

/** Every flag the agent knows. */
export const VSERVER_FLAGS = ["noreboot", "runtmpfs", "nonewprivs"] as const;

/** One of {@link VSERVER_FLAGS}. */
export type VserverFlag = (typeof VSERVER_FLAGS)[number];

/** Whether `s` is a known flag. */
export function isVserverFlag(s: string): s is VserverFlag {
  return (VSERVER_FLAGS as readonly string[]).includes(s);
}

/** Reads and validates the flags file. */
export function readFlags(file: string): VserverFlag[] {
  const out: VserverFlag[] = [];
  for (const line of readLines(file)) {
    const flag = line.toLowerCase();
    if (!isVserverFlag(flag)) throw badConfig(file, `unknown flag "${line}" (known: ${VSERVER_FLAGS.join(", ")})`);
    if (!out.includes(flag)) out.push(flag);
  }
  return out.sort();
}
