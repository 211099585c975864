/**
 * "Update packages" (the API's updatePackages): refresh the package lists and upgrade
 * with the guest's own manager (apt-get update + upgrade keeping changed config files,
 * or dnf/yum upgrade), every output line into the operation's log as it comes. The
 * server must be running. A step that exits non-zero fails the operation with its code.
 */
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { initAlive, readRunState } from "../runtime/run-state";
import { guestPackageTools, updateCommands } from "./guest-package-manager";
import { runPackageToolStreaming } from "./run-package-tool";

/** What the update did. */
export interface UpdateResult {
  tool: string;
  steps: { argv: string[]; exitCode: number }[];
}

/** Updates the packages of the running server `name`. */
export async function updatePackages(paths: HostPaths, name: string, log: (line: string) => void, progress: (p: number) => void = () => undefined): Promise<UpdateResult> {
  const cfg = readVserverConfig(paths, name);
  const state = readRunState(paths, name);
  if (!state || !initAlive(state)) throw new AgentFailure("WRONG_STATE", `vserver "${name}" is not running; start it to update its packages`, "name");
  const plan = updateCommands(guestPackageTools(cfg.root));
  if (!plan) throw new AgentFailure("UNSUPPORTED", `vserver "${name}" has no apt-get, dnf or yum to update packages with`, "name");
  const result: UpdateResult = { tool: plan.tool, steps: [] };
  for (const [i, args] of plan.steps.entries()) {
    log(`$ ${plan.tool} ${args.join(" ")}`);
    const code = await runPackageToolStreaming(paths, name, plan.tool, args, { onLine: (l) => log(l) });
    result.steps.push({ argv: [plan.tool, ...args], exitCode: code });
    progress(Math.round(((i + 1) / plan.steps.length) * 95));
    if (code !== 0) throw new AgentFailure("INTERNAL", `${plan.tool} ${args.join(" ")} exited ${code} in "${name}"`);
  }
  return result;
}
