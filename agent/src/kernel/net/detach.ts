/**
 * detachVserverNetwork: removes everything attach made for a ctx, by name, so it works
 * when parts are already gone (the namespace died and took the veth pair with it).
 * Idempotent. The names are host-wide (`vsh101` is anybody's ctx 101), so without this
 * agent's state file for the ctx it leaves them alone unless told they are leftovers
 * (cleanOrphans with includeUnknown): a start that failed because another agent's
 * server holds the names must not take that server's network down in its undo.
 */
import type { HostPaths } from "../../host-paths";
import { withCtxLock } from "./ctx-lock";
import { ipBatch } from "./ip-script";
import { deleteLink, linkExists } from "./links";
import { checkCtx, hostLinkName, ifbName, tableName } from "./naming";
import { hasServerState, removeServerState } from "./net-state";
import { deleteTableScript } from "./nft-script";
import { ipBatchRun, nftRun } from "./run-scripts";

/** Removes a missing table without complaint. */
export async function deleteServerTable(ctx: number): Promise<void> {
  await nftRun(deleteTableScript(tableName(ctx)), /No such file or directory/);
}

/** Options of {@link detachVserverNetwork}. */
export interface DetachOptions {
  /** Remove the ctx's links and table even without a state file of this agent (known leftovers). */
  withoutState?: boolean;
}

/**
 * Removes the server's veth (its peer inside the namespace and every host route through
 * it go with it) and IFB, then the nft table and the state file. The links go first so
 * that the filter never disappears while the veth still passes traffic: if it cannot be
 * removed, the table stays. Does nothing for a ctx this agent has no state file of,
 * unless `withoutState`.
 */
export async function detachVserverNetwork(ctx: number, paths?: HostPaths, options: DetachOptions = {}): Promise<void> {
  checkCtx(ctx);
  await withCtxLock(ctx, async () => {
    if (!options.withoutState && !(await hasServerState(ctx, paths))) return;
    // One ip run for both links (each start of a tool costs more than the work).
    const links = [];
    for (const name of [hostLinkName(ctx), ifbName(ctx)]) if (await linkExists(name)) links.push(`link del dev ${name}`);
    await ipBatchRun(ipBatch(links)).catch(async () => {
      // A link may vanish between the check and the run (its namespace just died): go one
      // by one, where "missing" counts as deleted.
      await deleteLink(hostLinkName(ctx));
      await deleteLink(ifbName(ctx));
    });
    await deleteServerTable(ctx);
    await removeServerState(ctx, paths);
  });
}
