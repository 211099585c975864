/**
 * The EnterTarget of a running server (for exec, enter, vuname): its init by pid, start
 * time and a fresh pidfd, and the same sandbox the init got (capabilities, seccomp,
 * no_new_privs from the run state: a bcapabilities change applies at the next start,
 * never to commands entered into the running server).
 */
import fs, { closeSync } from "node:fs";
import { pidfdOpen } from "@/native";
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { configFiles } from "../../config/vserver/layout";
import { checkVserverName } from "../../config/vserver/names";
import { defaultSeccomp } from "../../kernel/launch/default-seccomp";
import type { EnterTarget } from "../../kernel/launch/enter-spec";
import type { SeccompPolicy } from "../../kernel/launch/spec-types";
import { readStartTime } from "../../kernel/launch/proc-stat";
import { readRunState, type RunState } from "./run-state";

let seccompCache: SeccompPolicy | undefined;
/** The default policy, built once per process. */
function seccompPolicy(): SeccompPolicy {
  return (seccompCache ??= defaultSeccomp());
}

/** A target with an open pidfd; call close() when done. */
export interface OpenTarget {
  target: EnterTarget;
  state: RunState;
  close(): void;
}

/** Opens the target of `name`; NOT_FOUND for an unknown server, WRONG_STATE when stopped. */
export function openEnterTarget(paths: HostPaths, name: string): OpenTarget {
  // Only existence matters here (the init's sandbox comes from the run state): reading
  // the whole config would cost more than the rest of an exec's host-side work.
  checkVserverName(name);
  if (!fs.existsSync(configFiles(paths, name).dir)) throw new AgentFailure("NOT_FOUND", `no vserver named "${name}"`, "name");
  const state = readRunState(paths, name);
  const stopped = () => new AgentFailure("WRONG_STATE", `vserver "${name}" is not running`, "name");
  if (!state) throw stopped();
  let pidfd: number;
  try {
    pidfd = pidfdOpen(state.initPid);
  } catch {
    throw stopped();
  }
  try {
    if (readStartTime(state.initPid) !== state.initStartTime) throw new Error("pid reused");
  } catch {
    closeSync(pidfd);
    throw stopped();
  }
  return {
    state,
    target: {
      initPid: state.initPid,
      startTime: state.initStartTime,
      pidfd,
      cgroupProcs: state.cgroupProcs,
      keepCaps: state.keepCaps,
      seccomp: state.seccomp ? seccompPolicy() : undefined,
      noNewPrivs: state.noNewPrivs,
    },
    close: () => closeSync(pidfd),
  };
}
