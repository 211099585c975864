/**
 * `vkill NAME [-s SIGNAL]` / `vkill --xid N`: signals every process of a server at once.
 * The cgroup freezes the group, signals each member and thaws it, so nothing forks
 * away in between (for SIGKILL it waits until the group is empty).
 */
import { constants } from "node:os";
import { AgentFailure, badInput } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { usedContexts } from "../../config/vserver/context-ids";
import { readVserverConfig } from "../../config/vserver/read-config";
import { hostCgroups } from "../runtime/host-cgroups";
import { initAlive, readRunState } from "../runtime/run-state";

/** "TERM", "SIGTERM", "15" → "SIGTERM". */
export function parseSignal(text: string): NodeJS.Signals {
  const t = text.trim().toUpperCase();
  const byNumber = Object.entries(constants.signals).find(([, n]) => String(n) === t)?.[0];
  const name = byNumber ?? (t.startsWith("SIG") ? t : `SIG${t}`);
  if (!(name in constants.signals)) throw badInput("signal", `"${text}" is not a signal name or number`);
  return name as NodeJS.Signals;
}

/** The server name of a context id (NOT_FOUND when no server has it). */
export function nameOfContext(paths: HostPaths, xid: number): string {
  const name = usedContexts(paths).get(xid);
  if (!name) throw new AgentFailure("NOT_FOUND", `no vserver has context ${xid}`, "xid");
  return name;
}

/** Signals every process of the running server `name`; returns how many there were. */
export async function killVserver(paths: HostPaths, name: string, signal: NodeJS.Signals = "SIGTERM"): Promise<number> {
  readVserverConfig(paths, name);
  const state = readRunState(paths, name);
  if (!state || !initAlive(state)) throw new AgentFailure("WRONG_STATE", `vserver "${name}" is not running`, "name");
  const cg = await hostCgroups();
  const count = (await cg.pids(name)).length;
  await cg.killAll(name, signal);
  return count;
}
