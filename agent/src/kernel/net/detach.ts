/**
 * detachVserverNetwork: removes everything attach made for a ctx, by name, so it works
 * without a state file (a crashed agent's leftovers) and when parts are already gone
 * (the namespace died and took the veth pair with it). Idempotent.
 */
import type { HostPaths } from "../../config/paths";
import { withCtxLock } from "./ctx-lock";
import { ipBatch } from "./ip-script";
import { deleteLink, linkExists } from "./links";
import { checkCtx, hostLinkName, ifbName, tableName } from "./naming";
import { removeServerState } from "./net-state";
import { deleteTableScript } from "./nft-script";
import { ipBatchRun, nftRun } from "./run-tool";

/** Removes a missing table without complaint. */
export async function deleteServerTable(ctx: number): Promise<void> {
  await nftRun(deleteTableScript(tableName(ctx)), /No such file or directory/);
}

/**
 * Removes the server's veth (its peer inside the namespace and every host route through
 * it go with it) and IFB, then the nft table and the state file. The links go first so
 * that the filter never disappears while the veth still passes traffic: if it cannot be
 * removed, the table stays.
 */
export async function detachVserverNetwork(ctx: number, paths?: HostPaths): Promise<void> {
  checkCtx(ctx);
  await withCtxLock(ctx, async () => {
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
