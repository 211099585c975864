/**
 * Keeps the guest's init from being the OOM killer's choice inside its server while other
 * processes of it can be killed (issue 13): the host lowers the init's `oom_score_adj` to
 * {@link INIT_OOM_SCORE_ADJ} before any guest code runs. In the server's memory group the
 * OOM killer picks the highest badness (a process's memory plus adj/1000 of the group's
 * limit), so the init goes behind every process whose adj is higher: what is entered from
 * the host (`exec`, `enter`, the console: they inherit the agent's adj, not the init's),
 * whatever raised its own, and whatever a guest init resets for its services (systemd
 * sets each unit's OOMScoreAdjust). The kernel copies the adj at fork, so the init's own
 * children start level with it; among equals the OOM killer takes the largest, and since
 * the privileged write also sets the floor (`oom_score_adj_min`) they inherit, the guest
 * can go level with its init but never below it (nothing in it has CAP_SYS_RESOURCE in
 * the initial user namespace). Not -1000: an init that cannot be killed at all would keep
 * a group whose last process is the init stuck in OOM instead of ending the run.
 *
 * Only for a server with a memory limit: its processes inherit the low adj, and in an OOM
 * of the whole host that would spare an unbounded guest and kill the host's own processes
 * first; with a limit the group's own OOM comes first.
 *
 * Lowering an adj needs CAP_SYS_RESOURCE on the host. Without it (a sandbox that
 * withholds it, as the test machine does) the init keeps the adj it inherited and the
 * result says so. Raising the other processes' adj instead is no answer: each of them
 * could lower its own again, down to the floor it inherited, so the order would be the
 * guest's to set. The write goes to the host's /proc entry of a process held paused
 * before its first guest instruction and checked by start time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { readStartTime } from "./proc-stat";

/** The init's adj: the lowest that still lets the OOM killer end a run whose init is all that is left. */
export const INIT_OOM_SCORE_ADJ = -999;

/** What the host could give the init. */
export type InitOomProtection = { protected: true } | { protected: false; adj: number; reason: string };

/** Lowers the adj of the init `pid` (started at `startTime`). Never throws: a host that
 * refuses still runs the server, with the reason in the result. */
export function protectInitFromOom(pid: number, startTime: string): InitOomProtection {
  const file = `/proc/${pid}/oom_score_adj`;
  try {
    if (readStartTime(pid) !== startTime) return { protected: false, adj: 0, reason: "the init is gone" };
    writeFileSync(file, String(INIT_OOM_SCORE_ADJ));
    return { protected: true };
  } catch (e) {
    let adj = 0;
    try {
      adj = Number(readFileSync(file, "utf8").trim());
    } catch {
      /* gone */
    }
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const why = code === "EACCES" || code === "EPERM" ? "the host withholds CAP_SYS_RESOURCE, which a negative oom_score_adj needs" : code;
    return { protected: false, adj, reason: why };
  }
}
