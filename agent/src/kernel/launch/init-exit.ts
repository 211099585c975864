/** Reads the record the monitor leaves when a guest init ends (RUNDIR/init-exit.json). */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** How an init ended. `reboot` is set when the guest called reboot(2): in a pid
 * namespace the kernel kills the init with SIGHUP (restart) or SIGINT (halt). */
export type InitExit =
  | { initPid: number; startTime: string; status: "exited"; code: number }
  | { initPid: number; startTime: string; status: "signaled"; signal: number; reboot: "restart" | "halt" | null };

function isInitExit(v: unknown): v is InitExit {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.initPid !== "number") return false;
  if (o.status === "exited") return typeof o.code === "number";
  return o.status === "signaled" && typeof o.signal === "number" && [null, "restart", "halt"].includes(o.reboot as string);
}

/** The exit record in `runDir` (a host path owned by the agent), or undefined if none. */
export function readInitExit(runDir: string): InitExit | undefined {
  let text: string;
  try {
    text = readFileSync(join(runDir, "init-exit.json"), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  // The monitor writes the start time as a JSON number; keep it as the exact string.
  const parsed: unknown = JSON.parse(text.replace(/"startTime":(\d+)/, '"startTime":"$1"'));
  if (!isInitExit(parsed)) throw new Error(`malformed ${runDir}/init-exit.json`);
  return parsed;
}
