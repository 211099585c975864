/**
 * The host command the monitor runs when a guest init ends (vs-start's on-exit):
 * `agent/bin/vserver NAME exit-hook`, the same CLI an admin uses, so cleanup and
 * restart-after-reboot work with no agent running.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** Absolute path of `agent/bin/vserver` (found from this module, bundled or not). */
export function vserverBinPath(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "bin", "vserver");
    if (path.basename(dir) === "agent" && fs.existsSync(candidate)) return (cached = candidate);
    dir = path.dirname(dir);
  }
  throw new Error("cannot find agent/bin/vserver beside the agent code");
}

/** The on-exit argv for server `name`. */
export function exitHookArgv(name: string): string[] {
  return [vserverBinPath(), name, "exit-hook"];
}
