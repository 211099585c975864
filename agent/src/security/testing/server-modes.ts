/**
 * The per-server isolation modes every attack of the suite is run under:
 *
 * - "shared-uid": guests run in the init user namespace; guest root is uid 0 on the host,
 *   held in by capabilities, seccomp, namespaces and cgroups (util-vserver's way; an
 *   admin's per-server choice, shown as less safe). Built with `--shared-uids`, since
 *   new servers get their own user namespace by default.
 * - "userns": the default: each server in a user namespace of its own with a host-unique
 *   range of 65536 ids (ops/userns/README.md); guest root is an unprivileged host uid.
 *
 * Tests whose expected outcome differs by mode (mknod of a device: made with shared uids,
 * refused in a user namespace; the SCM_RIGHTS neighbour attack: success with shared
 * uids, failure in userns) branch on `mode`.
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

/** Build options of the shared-uid mode (the default is a server's own user namespace). */
export const SHARED_UID_BUILD_ARGS: readonly string[] = ["--shared-uids"];

/** Build options of the userns mode: the default, no option needed. */
export const USERNS_BUILD_ARGS: readonly string[] = [];

/** Every mode. */
export function serverModes(): ModeCase[] {
  return [
    { mode: "shared-uid", skip: false, buildArgs: SHARED_UID_BUILD_ARGS },
    { mode: "userns", skip: false, buildArgs: USERNS_BUILD_ARGS },
  ];
}
