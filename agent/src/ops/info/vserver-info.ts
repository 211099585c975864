/** `getVserver` / `listVservers`: a server as the wire contract describes it. */
import type { VserverInfo } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { listServerNames } from "../../config/vserver/layout";
import { readVserverConfig } from "../../config/vserver/read-config";
import { AgentFailure } from "../../errors";
import { readRestartPolicy } from "../../config/vserver/restart-policy-file";
import { diskModeOf } from "../disk/disk-area";
import { readLastExit } from "../lifecycle/exit-record";
import { initAlive, readRunState } from "../runtime/run-state";
import { rescueStatus } from "../rescue/start-rescue";

/** The rescue's end while the server runs its rescue system; a broken record reads as none. */
function rescueUntilOf(paths: HostPaths, name: string): string | null {
  try {
    const r = rescueStatus(paths, name);
    return r?.running ? r.until : null;
  } catch {
    return null;
  }
}

/** The info of `name` (NOT_FOUND, or BAD_REQUEST naming a broken config file). */
export function vserverInfo(paths: HostPaths, name: string): VserverInfo {
  const cfg = readVserverConfig(paths, name);
  const state = readRunState(paths, name);
  const running = state !== null && initAlive(state);
  return {
    name,
    context: cfg.context,
    hostname: cfg.nodename,
    domainname: cfg.domainname,
    state: running ? "running" : "stopped",
    initPid: running ? state.initPid : null,
    startedAt: running ? state.startedAt : null,
    startOnBoot: cfg.startOnBoot,
    buildMethod: cfg.buildMethod,
    distribution: cfg.distribution,
    interfaces: cfg.interfaces,
    limits: cfg.limits,
    capabilities: cfg.bcapabilities,
    flags: cfg.flags,
    diskMode: diskModeOf(paths, name),
    userNamespace: cfg.uidmap !== null,
    desired: cfg.desired,
    restartPolicy: readRestartPolicy(paths, name),
    lastExit: readLastExit(paths, name),
    rescueUntil: rescueUntilOf(paths, name),
  };
}

/** Every complete server that reads cleanly; broken ones are reported by `onError`. */
export function listVserverInfo(paths: HostPaths, onError: (name: string, e: unknown) => void = () => undefined): VserverInfo[] {
  const out: VserverInfo[] = [];
  for (const name of listServerNames(paths)) {
    try {
      out.push(vserverInfo(paths, name));
    } catch (e) {
      if (e instanceof AgentFailure && e.code === "WRONG_STATE") continue; // a build in progress
      onError(name, e);
    }
  }
  return out;
}
