/**
 * The engine's side of a server's network: the host is prepared (ensureHostNetwork,
 * idempotent) before the first server attaches, and released (releaseHostNetwork, which
 * does nothing while any server is attached) after the last one detaches. Both pairs run
 * under a host-wide lock, so a server that is attaching cannot lose the host setup to
 * another server's release in between; the lock is always the innermost one taken.
 */
import type { HostPaths } from "../../config/paths";
import { attachVserverNetwork, detachVserverNetwork, ensureHostNetwork, releaseHostNetwork } from "../../kernel/net";
import type { InterfaceAddress } from "@/lib/protocol/names";
import { withLock } from "../locks";
import type { ServerNetworkPlan } from "./network-config";

/** Runs `work` under the host-wide network lock (`RUNDIR/locks/.network.lock`). */
export function withHostNetworkLock<T>(paths: HostPaths, work: () => Promise<T>): Promise<T> {
  return withLock(paths, ".network", "host network setup", work);
}

/** What attaching one server needs. */
export interface ServerNetworkRequest {
  name: string;
  ctx: number;
  /** The server's init (its network namespace). */
  initPid: number;
  interfaces: readonly InterfaceAddress[];
  /** bits/s each way, null = unlimited. */
  netRate: number | null;
}

/**
 * Prepares the host (its forwarding mode and the bridge of `plan`) and attaches the
 * server. On failure the attach has undone itself; the host setup stays for the caller's
 * undo (detachServerNetwork), which releases it when no server is left.
 */
export async function attachServerNetwork(paths: HostPaths, req: ServerNetworkRequest, plan: ServerNetworkPlan): Promise<void> {
  await withHostNetworkLock(paths, async () => {
    await ensureHostNetwork(plan.host, paths);
    await attachVserverNetwork(
      {
        name: req.name,
        ctx: req.ctx,
        netnsPid: req.initPid,
        interfaces: [...req.interfaces],
        mode: plan.mode,
        rateBitsPerSec: req.netRate === null ? undefined : { in: req.netRate, out: req.netRate },
      },
      paths,
    );
  });
}

/** Detaches a server (tolerates "already gone") and releases the host once none is left. */
export async function detachServerNetwork(paths: HostPaths, ctx: number): Promise<void> {
  await withHostNetworkLock(paths, async () => {
    await detachVserverNetwork(ctx, paths);
    await releaseHostNetwork({}, paths);
  });
}
