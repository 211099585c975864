/** Shifting ids in owners, file capabilities (v2/v3) and POSIX ACL xattrs. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shiftAcl, shiftCapability, shiftId, shiftXattrMap } from "./id-shift";

const up = { from: 0, to: 1 << 20, count: 65536 };
const down = { from: 1 << 20, to: 0, count: 65536 };

/** A v2 capability value (cap_net_raw permitted + effective flag). */
function capV2(): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(0x02000001, 0);
  b.writeUInt32LE(1 << 13, 4);
  return b;
}

describe("id shifts", () => {
  it("moves ids inside the range and leaves others", () => {
    assert.equal(shiftId(0, up), 1 << 20);
    assert.equal(shiftId(65535, up), (1 << 20) + 65535);
    assert.equal(shiftId(65536, up), null);
    assert.equal(shiftId((1 << 20) + 5, down), 5);
    assert.equal(shiftId(5, down), null);
  });

  it("turns a v2 capability into v3 with the range's root id, and back into v2", () => {
    const v3 = shiftCapability(capV2(), up);
    assert.equal(v3.length, 24);
    assert.equal(v3.readUInt32LE(0), 0x03000001);
    assert.equal(v3.readUInt32LE(4), 1 << 13);
    assert.equal(v3.readUInt32LE(20), 1 << 20);
    assert.deepEqual(shiftCapability(v3, down), capV2());
    // A v3 value rooted outside the range, or garbage, stays as it is.
    const foreign = Buffer.from(v3);
    foreign.writeUInt32LE(7, 20);
    assert.deepEqual(shiftCapability(foreign, down), foreign);
    assert.deepEqual(shiftCapability(Buffer.from("xy"), up), Buffer.from("xy"));
  });

  it("shifts the named user and group entries of an ACL", () => {
    const acl = Buffer.alloc(4 + 8 * 4);
    acl.writeUInt32LE(2, 0);
    const entries = [[0x01, 6, 0xffffffff], [0x02, 4, 1000], [0x08, 4, 50], [0x20, 4, 0xffffffff]] as const;
    entries.forEach(([tag, perm, id], i) => {
      acl.writeUInt16LE(tag, 4 + i * 8);
      acl.writeUInt16LE(perm, 6 + i * 8);
      acl.writeUInt32LE(id, 8 + i * 8);
    });
    const out = shiftAcl(acl, up);
    assert.deepEqual([0, 1, 2, 3].map((i) => out.readUInt32LE(8 + i * 8)), [0xffffffff, (1 << 20) + 1000, (1 << 20) + 50, 0xffffffff]);
    assert.deepEqual(shiftAcl(out, down), acl);
    const m = shiftXattrMap(new Map([["user.x", Buffer.from("a")], ["system.posix_acl_access", acl]]), up);
    assert.deepEqual(m.get("user.x"), Buffer.from("a"));
    assert.deepEqual(m.get("system.posix_acl_access"), out);
  });
});
