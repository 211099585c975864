import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parsePublicKey, PublicKeyError } from "./parse-public-key";

let dir = "";
let made = 0;
/** Makes a key with ssh-keygen; returns its .pub line and ssh-keygen's own SHA256 fingerprint. */
function makeKey(type: string, bits?: number): { line: string; fingerprint: string } {
  const file = path.join(dir, `k${made++}-${type}`);
  execFileSync("ssh-keygen", ["-q", "-t", type, ...(bits ? ["-b", String(bits)] : []), "-N", "", "-C", "me@laptop", "-f", file]);
  const line = fs.readFileSync(`${file}.pub`, "utf8");
  const fingerprint = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`], { encoding: "utf8" }).split(" ")[1]!;
  return { line, fingerprint };
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-sshkey-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("ed25519, the three ECDSA curves and RSA 2048/4096 are accepted with ssh-keygen's own fingerprint and size", () => {
  for (const [type, bits, want] of [["ed25519", undefined, 256], ["ecdsa", 256, 256], ["ecdsa", 384, 384], ["ecdsa", 521, 521], ["rsa", 2048, 2048], ["rsa", 4096, 4096]] as const) {
    const k = makeKey(type, bits);
    const parsed = parsePublicKey(k.line);
    assert.equal(parsed.fingerprint, k.fingerprint, `${type} ${bits ?? ""}`);
    assert.equal(parsed.bits, want);
    assert.equal(parsed.comment, "me@laptop");
  }
});

test("an RSA key under 2048 bits is refused naming its size", () => {
  assert.throws(() => parsePublicKey(makeKey("rsa", 1024).line), (e: Error) => e instanceof PublicKeyError && /1024 bits: at least 2048/.test(e.message));
});

test("a type word that does not match the key data, a truncated blob, DSA, a private key and garbage are refused with a reason", () => {
  const ed = makeKey("ed25519").line.split(" ");
  const cases: [string, RegExp][] = [
    [`ssh-rsa ${ed[1]}`, /says "ssh-rsa" but its data is a "ssh-ed25519" key/],
    [`ssh-ed25519 ${ed[1]!.slice(0, 40)}`, /truncated|wrong length|base64/],
    ["ssh-dss AAAAB3NzaC1kc3MAAACBAP", /DSA/],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", /private key/],
    ["hello world", /type "hello"/],
    ["", /empty/],
    [`ssh-ed25519 ${ed[1]}\nssh-ed25519 ${ed[1]}`, /single key line/],
  ];
  for (const [line, reason] of cases) assert.throws(() => parsePublicKey(line), (e: Error) => e instanceof PublicKeyError && reason.test(e.message), line);
});
