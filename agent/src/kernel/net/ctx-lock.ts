/**
 * Serializes network changes per server inside the agent: an addAddress racing a detach
 * would otherwise leave the state file, the nft set and the kernel disagreeing.
 */
import { serializeByKey } from "../serialize-by-key";

/** Runs `work` after every earlier call for the same ctx has settled. */
export function withCtxLock<T>(ctx: number, work: () => Promise<T>): Promise<T> {
  return serializeByKey(`net:${ctx}`, work);
}

/**
 * Runs `work` under the host-wide address lock: checking that an address is free and
 * recording it must not interleave with another server doing the same (in bridge mode
 * nothing in the kernel would refuse the duplicate). Taken inside a ctx lock, never
 * around one, so the two kinds of lock cannot deadlock.
 */
export function withAddressLock<T>(work: () => Promise<T>): Promise<T> {
  return withCtxLock(ADDRESS_LOCK, work);
}

/** Key of the address lock: ctx 0 is the host in util-vserver, never a server. */
const ADDRESS_LOCK = 0;
