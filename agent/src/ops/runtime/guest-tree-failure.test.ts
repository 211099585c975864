/** guestTreeFailure: guestfs refusals become CONFLICT; everything else passes through. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AgentFailure } from "../../errors";
import { guestTreeFailure, inGuestTree } from "./guest-tree-failure";

const nativeError = (code: string, path?: string) => Object.assign(new Error(`${code}: x, openat2 '${path}'`), { code, path, syscall: "openat2" });

describe("guestTreeFailure", () => {
  it("turns what a guest planted or swapped into CONFLICT naming the operation, errno and path", () => {
    for (const code of ["ENOENT", "ENOTDIR", "ELOOP", "EISDIR", "EAGAIN", "EINVAL"]) {
      const f = guestTreeFailure(nativeError(code, "/etc"), "setRootAccess", "rootPassword");
      assert.ok(f instanceof AgentFailure);
      assert.equal(f.code, "CONFLICT");
      assert.equal(f.field, "rootPassword");
      assert.match(f.message, new RegExp(`^setRootAccess: .*\\(${code} at /etc\\)`));
      assert.equal((f.cause as Error).message, `${code}: x, openat2 '/etc'`);
    }
  });

  it("leaves agent failures, other errnos and non-errors alone", () => {
    const own = new AgentFailure("BUSY", "locked");
    assert.equal(guestTreeFailure(own, "x"), own);
    const io = nativeError("EIO");
    assert.equal(guestTreeFailure(io, "x"), io);
    const plain = new TypeError("bug");
    assert.equal(guestTreeFailure(plain, "x"), plain);
    assert.equal(guestTreeFailure("text", "x"), "text");
  });

  it("inGuestTree returns the value, or throws the mapped error", () => {
    assert.equal(inGuestTree("w", () => 7), 7);
    assert.throws(() => inGuestTree("write", () => { throw nativeError("ELOOP", "/etc/hostname"); }), (e: unknown) => e instanceof AgentFailure && e.code === "CONFLICT");
  });
});
