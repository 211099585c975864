/**
 * Context ids: unique per host, as util-vserver's static contexts. A new server gets the
 * lowest free id at or above {@link CONTEXT_BASE} unless it asks for one; free means no
 * server of this agent has it and no other agent on the machine claimed it (the host
 * registry, ops/allocation). The caller holds the context lock (ops/locks: it holds the
 * registry's too) between choosing, writing the file and claiming it.
 */
import { AgentFailure } from "../../errors";
import type { HostPaths } from "../paths";
import { configFiles, listServerNames } from "./layout";
import { readContext } from "./read-config";
import { foreignContexts } from "../../ops/allocation/host-claims";

/** Automatically assigned ids start here (lower ones stay free for admins' choices). */
export const CONTEXT_BASE = 100;
const CONTEXT_MAX = 49151;

/** Every context id in use, with its server (unreadable files count as unknown, not free). */
export function usedContexts(paths: HostPaths): Map<number, string> {
  const used = new Map<number, string>();
  for (const name of listServerNames(paths)) {
    try {
      used.set(readContext(configFiles(paths, name).context), name);
    } catch {
      // A half-written server (build in progress) has no context yet: nothing to reserve.
    }
  }
  return used;
}

/** The requested id if it is free (CONFLICT otherwise), else the lowest free id ≥ base. */
export function chooseContext(paths: HostPaths, requested?: number): number {
  const used = usedContexts(paths);
  for (const [id, owner] of foreignContexts(paths)) if (!used.has(id)) used.set(id, owner);
  if (requested !== undefined) {
    const owner = used.get(requested);
    if (owner !== undefined) throw new AgentFailure("CONFLICT", `context: ${requested} is used by ${/^(vserver|the host link) /.test(owner) ? owner : `vserver "${owner}"`}`, "context");
    return requested;
  }
  for (let id = CONTEXT_BASE; id <= CONTEXT_MAX; id++) if (!used.has(id)) return id;
  throw new AgentFailure("LIMIT_EXCEEDED", "context: no free context id left", "context");
}
