/**
 * The stream of a round that sends only what changed (pre-copy, issue 16): the paths
 * gone since the previous round first, then a tar of the changed entries.
 *
 *   "VSDELTA1" | u64 BE length of the list | the paths, each ended by a NUL | tar
 *
 * The whole stream is compressed and checksummed like any transfer; the list is read by
 * the target as untrusted input (each path normalized, ".." refused, the root itself
 * refused, at most {@link maxListBytes}).
 */
import { normalizeMemberPath } from "../templates/tar-parser";

const MAGIC = Buffer.from("VSDELTA1");

/** The largest list of removed paths taken (a round removing more than this many bytes of names is refused). */
export const maxListBytes = 256 << 20;

/** The head of a delta stream: the magic, the list's length, the list. */
export function encodeDeltaHead(removed: Buffer[]): Buffer {
  const list = Buffer.concat(removed.flatMap((p) => [p, Buffer.alloc(1)]));
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(list.length));
  return Buffer.concat([MAGIC, len, list]);
}

/** What {@link readDeltaHead} found: the removed paths (relative, normalized) and the tar that follows. */
export interface DeltaStream {
  removed: Buffer[];
  tar: AsyncIterable<Buffer>;
}

/**
 * Reads the head of a delta stream from `chunks`; the rest (the tar) is passed on
 * unread. Throws on a stream that is not one, or a list that is too long or names the
 * root or climbs out.
 */
export async function readDeltaHead(chunks: AsyncIterable<Buffer>): Promise<DeltaStream> {
  const it = chunks[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.alloc(0);
  const need = async (n: number) => {
    while (buf.length < n) {
      const next = await it.next();
      if (next.done) throw new Error("the delta stream ended inside its head");
      buf = buf.length ? Buffer.concat([buf, next.value]) : next.value;
    }
  };
  await need(16);
  if (!buf.subarray(0, 8).equals(MAGIC)) throw new Error("not a delta stream (a round of changes was expected)");
  const length = buf.readBigUInt64BE(8);
  if (length > BigInt(maxListBytes)) throw new Error(`the list of removed paths is longer than ${maxListBytes} bytes`);
  const end = 16 + Number(length);
  await need(end);
  const list = buf.subarray(16, end);
  if (list.length && list[list.length - 1] !== 0) throw new Error("the list of removed paths is not NUL-terminated");
  const removed: Buffer[] = [];
  for (let start = 0; start < list.length; ) {
    const nul = list.indexOf(0, start);
    const rel = normalizeMemberPath(list.subarray(start, nul));
    if (rel.length === 0) throw new Error("the list of removed paths names the root");
    removed.push(rel);
    start = nul + 1;
  }
  const rest = buf.subarray(end);
  async function* tar(): AsyncIterable<Buffer> {
    if (rest.length) yield rest;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { removed, tar: tar() };
}
