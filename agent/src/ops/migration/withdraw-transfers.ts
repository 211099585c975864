/**
 * Withdraws a server's transfer offers (a move that failed, or one that starts over under
 * a new ticket): their tickets open nothing any more, and the archives staged for them —
 * kept for a cut stream to resume — are removed at once instead of at the tickets' expiry.
 */
import type { HostPaths } from "../../config/paths";
import { dropArchive } from "./send-transfer";
import { withdrawOffers } from "./transfer-tickets";

/** Withdraws every offer of `name`; returns how many there were. */
export function withdrawTransfers(paths: HostPaths, name: string): number {
  const ids = withdrawOffers(paths, name);
  for (const id of ids) dropArchive(paths, id);
  return ids.length;
}
