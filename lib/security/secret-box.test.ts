import { test } from "node:test";
import assert from "node:assert/strict";
import { open, seal } from "./secret-box";

const secret = "s".repeat(40);

test("seal and open round-trip", () => {
  const sealed = seal(secret, "host-credential", "vsa_token");
  assert.notEqual(sealed, "vsa_token");
  assert.equal(open(secret, "host-credential", sealed), "vsa_token");
});

test("another secret, another purpose or a changed byte fails", () => {
  const sealed = seal(secret, "host-credential", "vsa_token");
  assert.throws(() => open("t".repeat(40), "host-credential", sealed));
  assert.throws(() => open(secret, "other", sealed));
  const parts = sealed.split(".");
  parts[3] = Buffer.from("vsa_tokem").toString("base64url");
  assert.throws(() => open(secret, "host-credential", parts.join(".")));
  assert.throws(() => open(secret, "host-credential", "garbage"), /malformed/);
});
