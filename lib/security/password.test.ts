import { test } from "node:test";
import assert from "node:assert/strict";
import { dummyHash, generatePassword, hashPassword, verifyPassword } from "./password";

test("a hashed password verifies, a different one does not", async () => {
  const hash = await hashPassword("correct horse battery");
  assert.match(hash, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword("correct horse battery", hash), true);
  assert.equal(await verifyPassword("correct horse batterY", hash), false);
});

test("the same password hashes differently each time (salted)", async () => {
  assert.notEqual(await hashPassword("same"), await hashPassword("same"));
});

test("malformed stored hashes never verify", async () => {
  for (const bad of ["", "plain", "scrypt$1$2$3", "bcrypt$x$y$z$a$b", dummyHash]) {
    assert.equal(await verifyPassword("anything", bad), false, bad);
  }
});

test("generated passwords are long and differ", () => {
  const a = generatePassword();
  assert.match(a, /^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
  assert.notEqual(a, generatePassword());
});
