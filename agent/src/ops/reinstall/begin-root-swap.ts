/**
 * The start of every root swap (reinstall, restore of a backup), under the server's lock:
 * a server still being built is refused, a swap a crash interrupted is put right first
 * (staging.ts), and whether the server runs now is read — it decides whether the new
 * root is started (finish-root-swap.ts).
 */
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { configFiles } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { initAlive, readRunState } from "../runtime/run-state";
import { recoverStaging, stagingOf } from "./staging";

/** Checks and reads what a swap of `name`'s root starts from; the caller holds the lock. */
export async function beginRootSwap(paths: HostPaths, name: string, log: (line: string) => void) {
  const cfg = readVserverConfig(paths, name);
  const files = configFiles(paths, name);
  if (fs.existsSync(files.incomplete)) throw new AgentFailure("WRONG_STATE", `vserver "${name}" is still being built`, "name");
  const s = stagingOf(paths, name, cfg.root);
  const recovered = await recoverStaging(s);
  if (recovered !== "none") log(`an interrupted reinstall or restore was put right (${recovered})`);
  const state = readRunState(paths, name);
  return { cfg, files, s, wasRunning: state !== null && initAlive(state) };
}
