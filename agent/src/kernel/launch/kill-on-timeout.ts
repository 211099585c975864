/**
 * A time bound for a command entered into a server: when it passes, the command itself
 * (its host pid, which vs-enter reports) and vs-enter are killed, so neither a guest
 * program that ignores signals nor a stuck relay outlives the bound.
 */
import type { EnterProcess } from "./spawn-enter";

/** The running bound: whether it fired, and `clear` once the command ended. */
export interface CommandTimeout {
  timedOut(): boolean;
  clear(): void;
}

/** Kills `p` (command and vs-enter) after `ms`. */
export function killOnTimeout(p: Pick<EnterProcess, "commandPid" | "child">, ms: number): CommandTimeout {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    const pid = p.commandPid();
    if (pid) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
    p.child.kill("SIGKILL");
  }, ms);
  return { timedOut: () => fired, clear: () => clearTimeout(timer) };
}
