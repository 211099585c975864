/**
 * TOTP against the published test vectors (RFC 4226 appendix D for HOTP, RFC 6238
 * appendix B for TOTP with SHA-1, SHA-256 and SHA-512), base32 round trips, the drift
 * window, and the otpauth URI authenticator apps read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { base32Decode, base32Encode, generateTotpSecret, hotp, matchTotp, otpauthUri, totpCode, totpStep } from "./totp";

const sha1Key = Buffer.from("12345678901234567890");
const sha256Key = Buffer.from("12345678901234567890123456789012");
const sha512Key = Buffer.from("1234567890123456789012345678901234567890123456789012345678901234");

test("HOTP matches RFC 4226 appendix D", () => {
  const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
  assert.deepEqual(expected.map((_, counter) => hotp(sha1Key, counter)), expected);
});

test("TOTP matches RFC 6238 appendix B (8 digits, 30 s steps)", () => {
  const vectors: [number, string, string, string][] = [
    [59, "94287082", "46119246", "90693936"],
    [1111111109, "07081804", "68084774", "25091201"],
    [1111111111, "14050471", "67062674", "99943326"],
    [1234567890, "89005924", "91819424", "93441116"],
    [2000000000, "69279037", "90698825", "38618901"],
    [20000000000, "65353130", "77737706", "47863826"],
  ];
  for (const [time, sha1, sha256, sha512] of vectors) {
    const step = totpStep(time);
    assert.equal(hotp(sha1Key, step, 8, "sha1"), sha1, `SHA-1 at ${time}`);
    assert.equal(hotp(sha256Key, step, 8, "sha256"), sha256, `SHA-256 at ${time}`);
    assert.equal(hotp(sha512Key, step, 8, "sha512"), sha512, `SHA-512 at ${time}`);
  }
});

test("the six-digit code is the last six digits of the RFC's SHA-1 values", () => {
  const secret = base32Encode(sha1Key);
  assert.equal(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  assert.equal(totpCode(secret, 59), "287082");
  assert.equal(totpCode(secret, 1111111109), "081804");
  assert.equal(totpCode(secret, 1234567890), "005924");
});

test("base32 round-trips any bytes and refuses other characters", () => {
  for (let n = 0; n < 40; n++) {
    const bytes = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
    assert.deepEqual(base32Decode(base32Encode(bytes)), bytes);
  }
  assert.deepEqual(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), sha1Key);
  assert.throws(() => base32Decode("GEZD1"), /base32/);
  const secret = generateTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(base32Decode(secret).length, 20);
});

test("a code matches in its step and one step either side, and reports the step it matched", () => {
  const secret = base32Encode(sha1Key);
  const t = 1234567890;
  const code = totpCode(secret, t);
  assert.equal(matchTotp(secret, code, t), totpStep(t));
  assert.equal(matchTotp(secret, code, t + 30), totpStep(t));
  assert.equal(matchTotp(secret, code, t - 30), totpStep(t));
  assert.equal(matchTotp(secret, code, t + 90), null);
  assert.equal(matchTotp(secret, code, t - 90), null);
  for (const bad of ["", "12345", "1234567", "12345a", " 005924", "００５９２４"]) assert.equal(matchTotp(secret, bad, t), null, JSON.stringify(bad));
});

test("the otpauth URI names issuer, account, algorithm, digits and period", () => {
  const uri = new URL(otpauthUri("JBSWY3DPEHPK3PXP", "ann@example.com", "VServer Panel"));
  assert.equal(uri.protocol, "otpauth:");
  assert.equal(uri.host, "totp");
  assert.equal(decodeURIComponent(uri.pathname), "/VServer Panel:ann@example.com");
  assert.equal(uri.searchParams.get("secret"), "JBSWY3DPEHPK3PXP");
  assert.equal(uri.searchParams.get("issuer"), "VServer Panel");
  assert.equal(uri.searchParams.get("algorithm"), "SHA1");
  assert.equal(uri.searchParams.get("digits"), "6");
  assert.equal(uri.searchParams.get("period"), "30");
});
