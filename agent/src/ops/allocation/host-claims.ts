/**
 * What the host-wide registry (host-registry.ts) means for one agent: the ids other
 * agents' servers hold, claims for this agent's servers, and their release. A claim is
 * stale, and is taken over, when its owner's configuration no longer has that id: the
 * server was deleted (or its agent's directories are gone, as a swept test host's), or
 * it was rebuilt with another id. A uid range stays claimed while the server still runs
 * with it (switched to shared uids, not yet stopped). An owner whose files cannot be
 * read for another reason keeps its claim: a guess never frees an id.
 * Every function here runs under withHostRegistry (withContextLock holds it).
 */
import fs from "node:fs";
import type { HostPaths } from "../../config/paths";
import { configFiles, listServerNames } from "../../config/vserver/layout";
import { readContext } from "../../config/vserver/read-config";
import { readUidMap } from "../../config/vserver/uidmap";
import { ctxFromName } from "../../kernel/net/naming";
import { initAlive, readRunState } from "../runtime/run-state";
import { readClaims, registryHeld, removeClaim, withHostRegistry, writeClaim, type Claim, type ClaimOwner } from "./host-registry";

function ownerPaths(o: ClaimOwner): HostPaths {
  return { confDir: o.confDir, runDir: o.runDir, rootDir: "" };
}

function isOurs(c: Claim, paths: HostPaths, name?: string): boolean {
  return c.owner.confDir === paths.confDir && (name === undefined || c.owner.name === name);
}

/** Whether the owner still has the claimed id (see the file comment). */
export function claimLive(c: Claim): boolean {
  const p = ownerPaths(c.owner);
  const files = configFiles(p, c.owner.name);
  if (!fs.existsSync(files.dir)) return false;
  if (c.kind === "contexts") {
    if (!fs.existsSync(files.context)) return false;
    try {
      return readContext(files.context) === c.key;
    } catch {
      return true;
    }
  }
  try {
    if (readUidMap(p, c.owner.name)?.start === c.key) return true;
  } catch {
    return true;
  }
  const state = readRunState(p, c.owner.name);
  return state?.uidmap?.start === c.key && initAlive(state);
}

/** Live claims of `kind` held by other agents; stale ones (anyone's) are removed.
 * None when this process does not hold the registry (see registryHeld). */
function othersClaims(paths: HostPaths, kind: Claim["kind"]): Claim[] {
  if (!registryHeld()) return [];
  const out: Claim[] = [];
  for (const c of readClaims(kind)) {
    if (!claimLive(c)) removeClaim(kind, c.key);
    else if (!isOurs(c, paths)) out.push(c);
  }
  return out;
}

function ownerText(o: ClaimOwner): string {
  return `vserver "${o.name}" of another agent (${o.confDir})`;
}

/**
 * Context ids other agents' servers hold, with a name for messages: their claims, and
 * every id whose host links (vsh<ctx>, vsi<ctx>) exist, for an agent that predates the
 * registry or an orphan; the caller's own servers are counted by the caller.
 */
export function foreignContexts(paths: HostPaths): Map<number, string> {
  const out = new Map(othersClaims(paths, "contexts").map((c) => [c.key, ownerText(c.owner)]));
  if (!registryHeld()) return out;
  let links: string[] = [];
  try {
    links = fs.readdirSync("/sys/class/net");
  } catch {
    // No sysfs (a container without it): the claims alone.
  }
  for (const l of links) {
    const ctx = ctxFromName(l, "link") ?? ctxFromName(l, "ifb");
    if (ctx !== null && !out.has(ctx)) out.set(ctx, `the host link ${l} (a server this registry does not know, or an orphan)`);
  }
  return out;
}

/** uid ranges other agents' servers hold, as [start, end) intervals. */
export function foreignUidRanges(paths: HostPaths): { start: number; end: number; owner: string }[] {
  return othersClaims(paths, "uids").map((c) => ({ start: c.key, end: c.key + c.count, owner: ownerText(c.owner) }));
}

/**
 * Claims the context id and uid range `name` has in its configuration now (after a
 * build or a change wrote them). An id another live owner holds is left to it: the
 * allocator did not choose it, so this is an older collision the registry cannot undo.
 */
export function claimServerIds(paths: HostPaths, name: string): void {
  const owner: ClaimOwner = { confDir: paths.confDir, runDir: paths.runDir, name };
  const files = configFiles(paths, name);
  const taken = (kind: Claim["kind"], key: number) => readClaims(kind).find((c) => c.key === key && !isOurs(c, paths, name) && claimLive(c));
  if (fs.existsSync(files.context)) {
    const ctx = readContext(files.context);
    if (!taken("contexts", ctx)) writeClaim("contexts", ctx, owner);
  }
  const map = readUidMap(paths, name);
  if (map && !taken("uids", map.start)) writeClaim("uids", map.start, owner, map.count);
}

/** Claims every server of this agent that has no claim yet (after a reboot emptied /run). */
export function syncOwnClaims(paths: HostPaths): void {
  const claimed = new Set(readClaims("contexts").filter((c) => isOurs(c, paths)).map((c) => c.owner.name));
  for (const name of listServerNames(paths)) {
    if (claimed.has(name)) continue;
    try {
      claimServerIds(paths, name);
    } catch {
      // A server whose files do not parse claims nothing; its own errors speak elsewhere.
    }
  }
}

/** Removes the claims `mine` selects, and stale ones of anyone on the way. */
function release(mine: (c: Claim) => boolean): Promise<void> {
  return withHostRegistry(() => {
    for (const kind of ["contexts", "uids"] as const) for (const c of readClaims(kind)) if (mine(c) || !claimLive(c)) removeClaim(kind, c.key);
  });
}

/** Frees the claims of `name` (after its delete). */
export function releaseServerClaims(paths: HostPaths, name: string): Promise<void> {
  return release((c) => isOurs(c, paths, name));
}

/** Frees every claim of the agent at `paths` (a test host's cleanup). */
export function releaseAgentClaims(paths: HostPaths): Promise<void> {
  return release((c) => isOurs(c, paths));
}

/** Claims every server of this agent, taking the registry lock (agent start). */
export function registerAgentServers(paths: HostPaths): Promise<void> {
  return withHostRegistry(() => syncOwnClaims(paths));
}
