/** The record codec: round trips, chunked decoding, and refusal of NUL in strings. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeRecords, RecordDecoder } from "./records";

describe("records", () => {
  it("encodes KEY\\0COUNT\\0FIELDS…\\0 and decodes it back, also byte by byte", () => {
    const recs = [
      { key: "argv", fields: ["/sbin/init", "", "a b", "ü"] },
      { key: "wait-go", fields: [] },
    ];
    const buf = encodeRecords(recs);
    assert.equal(buf.toString("utf8"), "argv\x004\x00/sbin/init\x00\x00a b\x00ü\x00wait-go\x000\x00");
    const d = new RecordDecoder();
    const out = [];
    for (const byte of buf) out.push(...d.push(Buffer.from([byte])));
    assert.deepEqual(out, recs);
    assert.equal(d.leftover, 0);
  });

  it("keeps an incomplete record pending", () => {
    const d = new RecordDecoder();
    assert.deepEqual(d.push(Buffer.from("error\x003\x00cgroup\x001\x00")), []);
    assert.ok(d.leftover > 0);
    assert.deepEqual(d.push(Buffer.from("/x\x00")), [{ key: "error", fields: ["cgroup", "1", "/x"] }]);
  });

  it("refuses NUL inside keys or fields and malformed counts", () => {
    assert.throws(() => encodeRecords([{ key: "env", fields: ["A=1\0B=2"] }]), TypeError);
    assert.throws(() => encodeRecords([{ key: "", fields: [] }]), TypeError);
    assert.throws(() => new RecordDecoder().push(Buffer.from("k\x00x\x00")), /malformed/);
  });
});
