/** PTR input: host names by RFC 1123 with the reason named, addresses made canonical, empty means remove. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { hostNameProblem, ptrInput } from "./ptr-input";

test("host names: each rule refused with its reason", () => {
  assert.equal(hostNameProblem("mail.example.com"), null);
  assert.equal(hostNameProblem("a-1.b2.example"), null);
  assert.match(hostNameProblem(`${"a".repeat(64)}.example.com`) ?? "", /label longer than 63/);
  assert.match(hostNameProblem(`${"a.".repeat(127)}com`) ?? "", /longer than 253/);
  assert.match(hostNameProblem("localhost") ?? "", /at least two labels/);
  assert.match(hostNameProblem("a..example.com") ?? "", /empty label/);
  assert.match(hostNameProblem("-a.example.com") ?? "", /starts or ends with a hyphen/);
  assert.match(hostNameProblem("bad_name.example.com") ?? "", /characters other than/);
  assert.match(hostNameProblem("192.0.2.1") ?? "", /all-digit label/);
});

test("the input lower-cases the name, drops its trailing dot, canonicalizes the address; empty or null removes", () => {
  assert.deepEqual(ptrInput.parse({ address: "2001:DB8:0::1", name: "Mail.Example.COM." }), { address: "2001:db8::1", name: "mail.example.com" });
  assert.equal(ptrInput.parse({ address: "192.0.2.1", name: "" }).name, null);
  assert.equal(ptrInput.parse({ address: "192.0.2.1", name: null }).name, null);
  const bad = ptrInput.safeParse({ address: "192.0.2.300", name: "x.example.com" });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.error?.issues[0]?.path, ["address"]);
});
