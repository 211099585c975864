/**
 * Changes a running server's bandwidth limits. A rate change on an existing limit is an
 * in-place HTB class change (no packet loss); adding the outgoing limit creates the IFB
 * before the nft `pass` chain starts feeding it, removing it stops the feeding first.
 */
import type { HostPaths } from "../../host-paths";
import { withCtxLock } from "./ctx-lock";
import { ifbCreateLines, ipBatch } from "./ip-script";
import { deleteLink, linkExists } from "./links";
import { checkCtx, hostLinkName, ifbName, tableName } from "./naming";
import { requireServerState, resolveCtx, writeServerState, type ServerRef } from "./net-state";
import { passChainScript } from "./nft-script";
import { ipBatchRun, nftRun, tcRun } from "./run-scripts";
import { parseRate, type RateInput, type RateLimit } from "./spec";
import { changeLimitCommands, limitCommands, tcBatch, unlimitCommands } from "./tc-script";

async function setIncoming(dev: string, before: number | null, after: number | null): Promise<void> {
  if (after === before) return;
  if (after === null) return tcRun(tcBatch(unlimitCommands(dev)));
  await tcRun(tcBatch(before === null ? limitCommands(dev, after) : changeLimitCommands(dev, after)));
}

async function setOutgoing(ctx: number, before: number | null, after: number | null): Promise<void> {
  const ifb = ifbName(ctx);
  if (after === before && (after === null || (await linkExists(ifb)))) return;
  if (after === null) {
    await nftRun(passChainScript(tableName(ctx), null));
    await deleteLink(ifb);
    return;
  }
  if (before !== null && (await linkExists(ifb))) {
    await tcRun(tcBatch(changeLimitCommands(ifb, after)));
    return;
  }
  await deleteLink(ifb);
  await ipBatchRun(ipBatch(ifbCreateLines(ifb)));
  try {
    await tcRun(tcBatch(limitCommands(ifb, after)));
    await nftRun(passChainScript(tableName(ctx), ifb));
  } catch (error) {
    await deleteLink(ifb).catch(() => undefined);
    throw error;
  }
}

/**
 * Sets both limits of a running server, by ctx or name (bits/s; a direction that is null
 * or absent becomes unlimited). Returns the limits now
 * in force. Each direction is changed on its own: a failure leaves the state file
 * describing what the kernel has.
 */
export async function setVserverRate(server: ServerRef, rate: RateInput, paths?: HostPaths): Promise<RateLimit> {
  const ctx = checkCtx(await resolveCtx(server, paths));
  const wanted = parseRate(rate);
  return withCtxLock(ctx, async () => {
    const state = await requireServerState(ctx, paths);
    await setIncoming(hostLinkName(ctx), state.rate.in, wanted.in);
    state.rate = { ...state.rate, in: wanted.in };
    await writeServerState(state, paths);
    await setOutgoing(ctx, state.rate.out, wanted.out);
    state.rate = { ...state.rate, out: wanted.out };
    await writeServerState(state, paths);
    return state.rate;
  });
}
