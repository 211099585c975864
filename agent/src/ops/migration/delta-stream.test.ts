/**
 * The head of a round of changes: the removed paths come back as sent (normalized), the
 * tar after them is passed on byte for byte however the chunks fall, and a head that is
 * not one, names the root, climbs out with "..", is cut short or too long is refused.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeDeltaHead, maxListBytes, readDeltaHead } from "./delta-stream";

async function* chunked(data: Buffer, size: number): AsyncIterable<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

test("the removed paths and the tar after them come back whatever the chunk size", async () => {
  const removed = [Buffer.from("etc/old.conf"), Buffer.from("var/cache/a b/c"), Buffer.from([0x64, 0xff, 0x2f, 0x78])];
  const tar = Buffer.from("x".repeat(3000));
  const stream = Buffer.concat([encodeDeltaHead(removed), tar]);
  for (const size of [1, 7, 16, 512, stream.length]) {
    const head = await readDeltaHead(chunked(stream, size));
    assert.deepEqual(head.removed, removed, `chunks of ${size}`);
    assert.ok((await collect(head.tar)).equals(tar), `tar intact in chunks of ${size}`);
  }
});

test("an empty list is a round that removes nothing", async () => {
  const head = await readDeltaHead(chunked(Buffer.concat([encodeDeltaHead([]), Buffer.from("tar")]), 5));
  assert.deepEqual(head.removed, []);
  assert.equal((await collect(head.tar)).toString(), "tar");
});

test("paths are normalized; the root, '..', a missing NUL, a short or foreign stream and a huge list are refused", async () => {
  const read = (b: Buffer) => readDeltaHead(chunked(b, 3));
  assert.deepEqual((await read(encodeDeltaHead([Buffer.from("./a//b/")]))).removed, [Buffer.from("a/b")]);
  await assert.rejects(read(encodeDeltaHead([Buffer.from("a/../../etc/passwd")])), /climbs out/);
  await assert.rejects(read(encodeDeltaHead([Buffer.from("/")])), /names the root/);
  await assert.rejects(read(encodeDeltaHead([Buffer.from(".")])), /names the root/);
  const noNul = encodeDeltaHead([Buffer.from("abc")]).subarray(0, -1);
  noNul.writeBigUInt64BE(3n, 8);
  await assert.rejects(read(noNul), /NUL-terminated/);
  await assert.rejects(read(Buffer.from("VSDELTA1")), /ended inside its head/);
  await assert.rejects(read(Buffer.concat([Buffer.from("ustar   "), Buffer.alloc(600)])), /not a delta stream/);
  const huge = Buffer.alloc(16);
  Buffer.from("VSDELTA1").copy(huge);
  huge.writeBigUInt64BE(BigInt(maxListBytes) + 1n, 8);
  await assert.rejects(read(huge), /longer than/);
});
