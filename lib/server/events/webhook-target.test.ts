/** Where webhooks may point, and the retry schedule. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffMs } from "./send-deliveries";
import { webhookSignature } from "./send-webhook";
import { checkWebhookUrl, isPrivateAddress } from "./webhook-target";

test("private, local and special addresses are refused by default; public ones pass", () => {
  for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::5", "::ffff:127.0.0.1", "ff02::1"]) assert.equal(isPrivateAddress(a), true, a);
  for (const a of ["192.0.2.10", "8.8.8.8", "2001:4860:4860::8888", "172.32.0.1"]) assert.equal(isPrivateAddress(a), false, a);
});

test("only http(s) URLs without credentials", () => {
  assert.equal(checkWebhookUrl("https://hooks.example.com/x").hostname, "hooks.example.com");
  assert.throws(() => checkWebhookUrl("file:///etc/passwd"), /https/);
  assert.throws(() => checkWebhookUrl("https://user:pw@example.com/"), /credentials/);
  assert.throws(() => checkWebhookUrl("not a url"), /not a URL/);
});

test("the signature is HMAC-SHA256 of TIME.BODY; retries back off to an hour apart", () => {
  // Computed with openssl: printf '1.{}' | openssl dgst -sha256 -hmac s
  assert.equal(webhookSignature("s", 1, "{}"), "t=1,v1=b253639bcd705ed1cda3073f66104f16988bd40272584dea7d0d345ae93e61cc");
  assert.notEqual(webhookSignature("s", 1, "{}"), webhookSignature("s", 2, "{}"), "the time is signed too");
  const env = {} as NodeJS.ProcessEnv;
  assert.deepEqual([1, 2, 3, 10].map((n) => backoffMs(n, env)), [30_000, 60_000, 120_000, 3_600_000]);
});
