/**
 * Hanging up a console the way a shell on a closed terminal would (bash resends the
 * hangup to all its jobs): every process of the shell's session gets SIGHUP and SIGCONT,
 * so `sleep 1000 &` typed into a console goes with the console, while a daemon the user
 * started (it left the session with setsid) and a `nohup` job keep running. The shell is
 * vs-enter's child; it made itself a session leader, so its host pid is the session id
 * that /proc shows for every member.
 */
import fs from "node:fs";

/** pid, parent and session of a /proc/PID/stat text (the command may contain spaces and parentheses). */
export function parseStatIds(text: string): { ppid: number; session: number } | null {
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  const session = Number(fields[3]);
  return Number.isInteger(ppid) && Number.isInteger(session) ? { ppid, session } : null;
}

function statIds(pid: number): { ppid: number; session: number } | null {
  try {
    return parseStatIds(fs.readFileSync(`/proc/${pid}/stat`, "latin1"));
  } catch {
    return null;
  }
}

/** Host pids of the session led by the child of `helperPid` (the console's shell), shell first. */
export function consoleSessionPids(helperPid: number): number[] {
  const all = fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  const ids = new Map<number, { ppid: number; session: number }>();
  for (const pid of all) {
    const s = statIds(pid);
    if (s) ids.set(pid, s);
  }
  const shell = [...ids].find(([pid, s]) => s.ppid === helperPid && s.session === pid)?.[0];
  if (shell === undefined) return [];
  return [shell, ...[...ids].filter(([pid, s]) => s.session === shell && pid !== shell).map(([pid]) => pid)];
}

/** Sends SIGHUP (then SIGCONT, so a stopped job sees it) to the console's session. */
export function hangUpSession(helperPid: number): void {
  for (const pid of consoleSessionPids(helperPid)) {
    for (const sig of ["SIGHUP", "SIGCONT"] as const) {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone meanwhile */
      }
    }
  }
}
