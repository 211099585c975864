/**
 * The host's record of the last time a server's init ended on its own
 * (`RUNDIR/servers/NAME/last-exit.json`, lib/protocol `lastExit`): why (an OOM kill, told
 * by the memory group's OOM counter; another signal; an exit status; a reboot or halt from
 * inside), when, and what the host did about it. A stop someone asked for is not recorded
 * here: it is no surprise. The file stays when the run ends (a start does not remove it),
 * so `vserver NAME status` and the panel can say why a server is down, and the restart
 * back-off (restart-backoff.ts) reads the previous record to count failures in a row.
 */
import path from "node:path";
import { lastExit, type LastExit } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { serverRunDir } from "../../config/vserver/layout";
import { readJsonRecord, writeAtomic } from "../../config/vserver/value-files";
import type { InitExit } from "../../kernel/launch/init-exit";

/** The cause part of a record. */
export type ExitCause = Pick<LastExit, "cause" | "signal" | "exitCode" | "oomKills" | "uptimeSec">;

/** last-exit.json of `name`. */
export function lastExitFile(paths: HostPaths, name: string): string {
  return path.join(serverRunDir(paths, name), "last-exit.json");
}

/** The record, or null (none, or unreadable: an old or broken file says nothing). */
export function readLastExit(paths: HostPaths, name: string): LastExit | null {
  return readJsonRecord(lastExitFile(paths, name), lastExit);
}

/** Replaces the record atomically. */
export function writeLastExit(paths: HostPaths, name: string, record: LastExit): void {
  writeAtomic(lastExitFile(paths, name), `${JSON.stringify(lastExit.parse(record))}\n`, 0o600);
}

const SIGKILL = 9;

/**
 * Why the init ended. A SIGKILL while the server's memory group counted OOM kills is
 * taken for the OOM killer: the host's own SIGKILL (an admin's kill -9) cannot be told
 * apart from it by the exit alone, and the counter is the kernel's word that it killed in
 * this group during this run (the group is made fresh at every start, so it counts
 * this run only). A guest cannot SIGKILL its own init (its pid namespace protects it).
 */
export function describeExit(exit: InitExit | undefined, oomKills: number | null, uptimeSec: number | null): ExitCause {
  const base = { oomKills, uptimeSec };
  if (exit === undefined) return { cause: "signal", signal: null, exitCode: null, ...base };
  if (exit.status === "exited") return { cause: "exit", signal: null, exitCode: exit.code, ...base };
  if (exit.reboot === "restart") return { cause: "reboot", signal: exit.signal, exitCode: null, ...base };
  if (exit.reboot === "halt") return { cause: "halt", signal: exit.signal, exitCode: null, ...base };
  const oom = exit.signal === SIGKILL && oomKills !== null && oomKills > 0;
  return { cause: oom ? "oom" : "signal", signal: exit.signal, exitCode: null, ...base };
}

/** Whether the restart policy `on-failure` counts this end as a failure: a kill (OOM or
 * any signal but the reboot ones) or a non-zero exit; a clean exit 0 is the guest's own
 * decision to stop, as a halt is. */
export function isFailure(c: ExitCause): boolean {
  return c.cause === "oom" || c.cause === "signal" || (c.cause === "exit" && c.exitCode !== 0);
}

/** One line for people: "OOM kill (SIGKILL, 3 OOM kills) at 2026-…". */
export function exitSummary(e: LastExit): string {
  const what =
    e.cause === "oom"
      ? `OOM kill (signal ${e.signal}, ${e.oomKills} OOM kill${e.oomKills === 1 ? "" : "s"} in the server)`
      : e.cause === "signal"
        ? `killed by signal ${e.signal ?? "?"}`
        : e.cause === "exit"
          ? `init exited with status ${e.exitCode}`
          : e.cause === "reboot"
            ? "reboot from inside"
            : "halt from inside";
  const then = e.action === "restart" ? "restarted" : e.action === "restart-scheduled" ? `restart after ${e.restartDelaySec} s (failure ${e.failuresInRow} in a row)` : "left stopped";
  return `${what} at ${e.at}; ${then}`;
}
