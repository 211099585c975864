/**
 * What exists, for a restarted agent: `vsh*` and `vsi*` links, `netdev vs*` nft tables
 * and this agent's state files, grouped by ctx. A server whose namespace died loses its
 * veth pair with it, but its IFB, table and state file stay: those are the orphans.
 */
import type { HostPaths } from "../../host-paths";
import { detachVserverNetwork } from "./detach";
import { listLinkNames, netnsIdentity } from "./links";
import { ctxFromName } from "./naming";
import { listServerStates, readServerState, type ServerNetState } from "./net-state";
import { runTool } from "../run-tool";

/** The network resources of one ctx. */
export interface CtxResources {
  ctx: number;
  hostLink: boolean;
  ifb: boolean;
  table: boolean;
  /** This agent's state file, when there is one. */
  state: ServerNetState | null;
}

async function listNetdevTables(): Promise<string[]> {
  const out = (await runTool("nft", ["-j", "list", "tables", "netdev"])).stdout;
  const parsed = JSON.parse(out || "{}") as { nftables?: { table?: { name?: string; family?: string } }[] };
  return (parsed.nftables ?? [])
    .map((e) => e.table)
    .filter((t): t is { name: string; family: string } => typeof t?.name === "string" && t.family === "netdev")
    .map((t) => t.name);
}

/** Every ctx that has any of our resources, sorted. */
export async function listNetworkResources(paths?: HostPaths): Promise<CtxResources[]> {
  const byCtx = new Map<number, CtxResources>();
  const entry = (ctx: number) => {
    let e = byCtx.get(ctx);
    if (!e) byCtx.set(ctx, (e = { ctx, hostLink: false, ifb: false, table: false, state: null }));
    return e;
  };
  for (const name of await listLinkNames()) {
    const link = ctxFromName(name, "link");
    if (link !== null) entry(link).hostLink = true;
    const ifb = ctxFromName(name, "ifb");
    if (ifb !== null) entry(ifb).ifb = true;
  }
  for (const name of await listNetdevTables()) {
    const ctx = ctxFromName(name, "table");
    if (ctx !== null) entry(ctx).table = true;
  }
  for (const ctx of await listServerStates(paths)) entry(ctx).state = await readServerState(ctx, paths);
  return [...byCtx.values()].sort((a, b) => a.ctx - b.ctx);
}

/** Default liveness test: the namespace recorded at attach still exists and is the same one. */
export async function namespaceAlive(state: ServerNetState): Promise<boolean> {
  const id = await netnsIdentity(state.netnsPath);
  return id !== null && (state.netnsId === null || id === state.netnsId);
}

/** Options of {@link cleanOrphans}. */
export interface CleanOptions {
  /** Is this server running? Default: {@link namespaceAlive}. */
  isRunning?: (state: ServerNetState) => Promise<boolean> | boolean;
  /**
   * Also remove resources without a state file of this agent. Off by default: on a host
   * shared by several agents (or tests) those belong to someone else.
   */
  includeUnknown?: boolean;
  /** Only consider these ctx values (an agent's own range, or a test's). */
  ctxFilter?: (ctx: number) => boolean;
}

/** Detaches every ctx whose server is not running; returns the ctx list it cleaned. */
export async function cleanOrphans(options: CleanOptions = {}, paths?: HostPaths): Promise<number[]> {
  const isRunning = options.isRunning ?? namespaceAlive;
  const cleaned: number[] = [];
  for (const r of await listNetworkResources(paths)) {
    if (options.ctxFilter && !options.ctxFilter(r.ctx)) continue;
    if (r.state ? await isRunning(r.state) : !options.includeUnknown) continue;
    await detachVserverNetwork(r.ctx, paths, { withoutState: !r.state });
    cleaned.push(r.ctx);
  }
  return cleaned;
}
