/**
 * `setRestartPolicy` / `vserver NAME restart-policy never|on-failure`: records what the
 * host does when the server's init ends on its own (config/vserver/restart-policy-file.ts).
 * Under the server's lock, so it never crosses an exit hook deciding at that moment; `never`
 * also drops a restart already scheduled (the waiting hook then leaves).
 */
import type { RestartPolicy } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { readVserverConfig } from "../../config/vserver/read-config";
import { writeRestartPolicy } from "../../config/vserver/restart-policy-file";
import { withServerLock } from "../locks";
import { cancelPendingRestart } from "./pending-restart";

/** Sets `name`'s policy (NOT_FOUND when it does not exist). */
export async function setRestartPolicy(paths: HostPaths, name: string, policy: RestartPolicy): Promise<void> {
  readVserverConfig(paths, name);
  await withServerLock(paths, name, async () => setRestartPolicyLocked(paths, name, policy));
}

/** Sets the policy; the caller holds the server's lock. */
export function setRestartPolicyLocked(paths: HostPaths, name: string, policy: RestartPolicy): void {
  writeRestartPolicy(paths, name, policy);
  if (policy === "never") cancelPendingRestart(paths, name);
}
