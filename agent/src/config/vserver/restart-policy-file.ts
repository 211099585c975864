/**
 * `apps/init/restart-policy`: what the host does when the server's init ends on its own
 * (lib/protocol `restartPolicy`), one value in util-vserver's style beside `apps/init/mark`.
 * A configuration without the file (a util-vserver one, or a server built before the
 * policy existed) means `never`: nothing that did not restart before starts restarting.
 * New builds write `on-failure`.
 */
import path from "node:path";
import { restartPolicy, type RestartPolicy } from "@/lib/protocol/vservers";
import type { HostPaths } from "../paths";
import { configFiles } from "./layout";
import { badConfig, readValue, writeValue } from "./value-files";

/** The policy file of `name`. */
export function restartPolicyFile(paths: HostPaths, name: string): string {
  return path.join(configFiles(paths, name).dir, "apps", "init", "restart-policy");
}

/** The policy of `name`; `never` when the file is missing (BAD_REQUEST when it is not a policy). */
export function readRestartPolicy(paths: HostPaths, name: string): RestartPolicy {
  const file = restartPolicyFile(paths, name);
  const value = readValue(file);
  if (value === undefined) return "never";
  const parsed = restartPolicy.safeParse(value);
  if (!parsed.success) throw badConfig(file, `"${value}" is not one of ${restartPolicy.options.join(", ")}`);
  return parsed.data;
}

/** Writes the policy of `name` (atomically). */
export function writeRestartPolicy(paths: HostPaths, name: string, policy: RestartPolicy): void {
  writeValue(restartPolicyFile(paths, name), policy);
}
