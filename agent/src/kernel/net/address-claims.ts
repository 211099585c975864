/**
 * Which addresses a server may take: none that another attached server holds, and, with
 * routed prefixes (routed-prefix.ts), none inside another's prefix and no prefix over
 * another's address; a server's own address inside its own routed prefix is refused too
 * (the prefix already gives it every address there, and the nft interval set cannot hold
 * both).
 */
import { AgentFailure, badInput } from "../../errors";
import type { HostPaths } from "../../host-paths";
import { listServerStates, readServerState } from "./net-state";
import { claimOf, claimsOverlap, type AddressLike, type Claim, type ModeLike } from "./routed-prefix";

function conflictText(mine: Claim, theirs: Claim, owner: string): string {
  if (mine.len === theirs.len) return `${mine.text} belongs to ${owner}`;
  if (mine.len > theirs.len) return `${mine.text} is inside ${owner}'s routed prefix ${theirs.text}`;
  return `the routed prefix ${mine.text} covers ${theirs.text} of ${owner}`;
}

/** Refuses overlaps among a server's own addresses (`existing` first, then `added`). */
export function checkOwnClaims(mode: ModeLike, existing: readonly AddressLike[], added: readonly AddressLike[], fieldOf: (index: number) => string): void {
  const seen = existing.map((a) => claimOf(mode, a));
  added.forEach((a, i) => {
    const mine = claimOf(mode, a);
    const clash = seen.find((c) => claimsOverlap(c, mine));
    if (clash) throw badInput(fieldOf(i), conflictText(mine, clash, "this server"));
    seen.push(mine);
  });
}

/** Refuses addresses another attached server already has (CONFLICT naming the field). */
export async function checkAddressesFree(
  ctx: number,
  mode: ModeLike,
  addresses: readonly AddressLike[],
  fieldOf: (index: number) => string,
  paths?: HostPaths,
): Promise<void> {
  const mine = addresses.map((a) => claimOf(mode, a));
  for (const other of await listServerStates(paths)) {
    if (other === ctx) continue;
    const state = await readServerState(other, paths);
    for (const a of state?.addresses ?? []) {
      const theirs = claimOf(state!.mode, a);
      const i = mine.findIndex((m) => claimsOverlap(m, theirs));
      if (i >= 0) throw new AgentFailure("CONFLICT", `${fieldOf(i)}: ${conflictText(mine[i]!, theirs, `ctx ${other}`)}`, fieldOf(i));
    }
  }
}
