/**
 * The per-server isolation mode every attack of the suite is run under. Today there is
 * one: "shared-uid" (guests run in the init user namespace; guest root is uid 0 on the
 * host, held in by capabilities, seccomp, namespaces and cgroups). Per-server user
 * namespaces ("userns": each guest's uids mapped to a range of its own) are being added
 * in a separate worktree; until that work is merged into main, the userns cases are
 * listed and skipped with this reason.
 *
 * When it lands: set `USERNS_BUILD_ARGS` to the build options that select it (for
 * `vserver NAME build`), and the skip goes away. Tests whose expected outcome differs by
 * mode (the SCM_RIGHTS neighbour attack: success in shared-uid, failure in userns)
 * branch on `mode`.
 */

/** The isolation modes of a server. */
export type ServerMode = "shared-uid" | "userns";

/** One mode as a test parameter. */
export interface ModeCase {
  mode: ServerMode;
  /** false, or why this mode cannot run here. */
  skip: string | false;
  /** Extra `vserver NAME build` options that select the mode. */
  buildArgs: readonly string[];
}

/** Build options of the userns mode; null until the userns work is in main. */
export const USERNS_BUILD_ARGS: readonly string[] | null = null;

/** Why userns cases are skipped (null once they can run). */
export const USERNS_SKIP_REASON =
  "per-server user namespaces are not in main yet (being built in the userns worktree; `git log --grep userns` shows no merge): " +
  "set USERNS_BUILD_ARGS in agent/src/security/testing/server-modes.ts when they land";

/** Every mode, the unavailable ones marked skip. */
export function serverModes(): ModeCase[] {
  return [
    { mode: "shared-uid", skip: false, buildArgs: [] },
    { mode: "userns", skip: USERNS_BUILD_ARGS ? false : USERNS_SKIP_REASON, buildArgs: USERNS_BUILD_ARGS ?? [] },
  ];
}
