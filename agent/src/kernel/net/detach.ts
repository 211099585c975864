/**
 * detachVserverNetwork: removes everything attach made for a ctx, by name, so it works
 * without a state file (a crashed agent's leftovers) and when parts are already gone
 * (the namespace died and took the veth pair with it). Idempotent.
 */
import type { HostPaths } from "../../config/paths";
import { withCtxLock } from "./ctx-lock";
import { deleteLink } from "./links";
import { checkCtx, hostLinkName, ifbName, tableName } from "./naming";
import { removeServerState } from "./net-state";
import { deleteTableScript } from "./nft-script";
import { nftRun } from "./run-tool";

/** Removes a missing table without complaint. */
export async function deleteServerTable(ctx: number): Promise<void> {
  await nftRun(deleteTableScript(tableName(ctx)), /No such file or directory/);
}

/**
 * Removes the server's veth (its peer inside the namespace and every host route through
 * it go with it), then the nft table, IFB and state file. The link goes first so that the
 * filter never disappears while the link still passes traffic: if the link cannot be
 * removed, the table stays.
 */
export async function detachVserverNetwork(ctx: number, paths?: HostPaths): Promise<void> {
  checkCtx(ctx);
  await withCtxLock(ctx, async () => {
    await deleteLink(hostLinkName(ctx));
    await deleteServerTable(ctx);
    await deleteLink(ifbName(ctx));
    await removeServerState(ctx, paths);
  });
}
