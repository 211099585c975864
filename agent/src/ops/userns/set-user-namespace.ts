/**
 * `setUserNamespace` / `vattribute NAME --set --userns on|off`: gives a server its own
 * user namespace and uid range (chosen under the host-wide context lock like a build's),
 * or switches it to the shared-uid mode (less safe: SECURITY.md rules 4 and 5). Applied
 * at the next start; a running server keeps its mode until then. With idmapped mounts
 * nothing on disk changes (the root stays owned by 0..), so a running server may be
 * switched; a root whose ownership must be shifted (or shifted back) needs the server
 * stopped (WRONG_STATE otherwise). A failed shift leaves the config as it was.
 */
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { chooseUidRange } from "../../config/vserver/uid-ranges";
import { writeUidMap, type UidMap } from "../../config/vserver/uidmap";
import { ensureMounted } from "../../kernel/disk";
import { idmapSupported } from "../../kernel/launch/idmap-probe";
import { diskEnvOf, diskModeOf } from "../disk/disk-area";
import { withContextLock, withServerLock } from "../locks";
import { claimServerIds } from "../allocation/host-claims";
import { initAlive, readRunState } from "../runtime/run-state";
import { fitRootToUidMap } from "./fit-root";

/** Options of {@link setUserNamespace}. */
export interface UserNamespaceChange {
  /** First host id of a new range (default: the lowest free one). */
  uidStart?: number;
  log?: (line: string) => void;
}

/** Switches `name`; returns its map (null: shared uids). Idempotent. */
export async function setUserNamespace(paths: HostPaths, name: string, enabled: boolean, change: UserNamespaceChange = {}): Promise<UidMap | null> {
  return withServerLock(paths, name, async () => {
    const cfg = readVserverConfig(paths, name);
    if (enabled === (cfg.uidmap !== null)) return cfg.uidmap;
    if (diskModeOf(paths, name) !== "none") await ensureMounted(name, diskEnvOf(paths));
    const from = cfg.uidmap?.shifted ? cfg.uidmap.start : 0;
    const walk = enabled ? !idmapSupported(cfg.root) : from !== 0;
    const state = readRunState(paths, name);
    if (walk && state && initAlive(state)) {
      throw new AgentFailure("WRONG_STATE", `vserver "${name}" must be stopped: its root's ownership is shifted on disk (no idmapped mounts on its filesystem)`, "name");
    }
    let next: UidMap | null = null;
    if (enabled) {
      // Reserved at once, under the lock builds take, so no build picks it meanwhile.
      next = await withContextLock(paths, async () => {
        const m = { ...chooseUidRange(paths, change.uidStart), shifted: false };
        writeUidMap(paths, name, m);
        claimServerIds(paths, name);
        return m;
      });
    }
    try {
      next = await fitRootToUidMap(cfg.root, next, { from, fromCount: cfg.uidmap?.count, log: change.log });
    } catch (e) {
      writeUidMap(paths, name, cfg.uidmap);
      throw e;
    }
    writeUidMap(paths, name, next);
    return next;
  });
}
