/**
 * The host's record of a server's desired state (config/vserver/desired-file.ts) and the
 * rules that follow from it, in one place: every start or stop that a person or the
 * panel asks for records the decision (so the host does the right thing alone after an
 * agent restart or a reboot), a suspended server refuses every start until someone
 * sets it otherwise, and the agent starts at boot only servers whose boot mark is set
 * and whose last decision was "running".
 */
import type { DesiredRunState, DesiredSource, DesiredState } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { writeDesired } from "../../config/vserver/desired-file";
import { configFiles } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import type { VserverConfig } from "../../config/vserver/types";
import { AgentFailure } from "../../errors";
import { cancelPendingRestart } from "./pending-restart";

/**
 * Records a decision; the caller holds the server's lock. Returns the record. Asking
 * again for what was decided already (a start of a running server) changes nothing: the
 * record keeps who decided it first and when, and an idempotent call leaves the host as
 * it was.
 */
export function recordDesired(paths: HostPaths, name: string, state: DesiredRunState, by: DesiredSource, reason: string | null = null): DesiredState {
  const current = readVserverConfig(paths, name).desired;
  if (current && current.state === state && current.reason === reason) return current;
  const d: DesiredState = { state, by, reason, at: new Date().toISOString() };
  writeDesired(configFiles(paths, name).desired, d);
  // A stop or suspension also ends a restart the policy scheduled (pending-restart.ts).
  if (state !== "running") cancelPendingRestart(paths, name);
  return d;
}

/** What a suspension says to whoever tries to start the server. */
export function suspendedFailure(name: string, d: DesiredState): AgentFailure {
  const why = d.reason ? `: ${d.reason}` : "";
  return new AgentFailure("WRONG_STATE", `vserver "${name}" is suspended${why} (by ${d.by}); lift the suspension in the panel before starting it`, "name");
}

/** Throws WRONG_STATE when the host's record says the server is suspended. */
export function refuseIfSuspended(paths: HostPaths, name: string): void {
  const d = readVserverConfig(paths, name).desired;
  if (d?.state === "suspended") throw suspendedFailure(name, d);
}

/** Records "stopped" for a stop someone asked for; a suspension stays what it is. */
export function recordStopped(paths: HostPaths, name: string, by: DesiredSource): void {
  if (readVserverConfig(paths, name).desired?.state !== "suspended") recordDesired(paths, name, "stopped", by);
}

/** Whether the agent starts this server when it starts: the boot mark is set and the
 * last decision (if the host has one) was "running". */
export function startsAtBoot(cfg: VserverConfig): boolean {
  return cfg.startOnBoot && (cfg.desired === null || cfg.desired.state === "running");
}

/** Whether the server may be started again by the host on its own (a guest's reboot,
 * a restart policy): only while the last decision is "running" or unrecorded. */
export function mayRunAgain(cfg: VserverConfig): boolean {
  return cfg.desired === null || cfg.desired.state === "running";
}
