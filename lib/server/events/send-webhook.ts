/**
 * One webhook call: the event as JSON, signed so the receiver can check it came from the
 * panel and is fresh: `X-VSP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>" with the endpoint's secret>` (a receiver refuses an old t: no replay).
 * Bounded: 10 s, the answer's body is not read, redirects are not followed.
 */
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import { checkWebhookUrl, guardedLookup } from "./webhook-target";

/** The outcome of one call. */
export interface CallOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** The signature header value for `body` at `t`. */
export function webhookSignature(secret: string, t: number, body: string): string {
  return `t=${t},v1=${crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

/** POSTs `body` to `url`. 2xx is success; anything else (or no answer) a failure to retry. */
export function sendWebhook(url: string, secret: string, body: string, headers: Record<string, string>, allowPrivate: boolean, timeoutMs = 10_000): Promise<CallOutcome> {
  const started = Date.now();
  const target = checkWebhookUrl(url);
  const t = Math.floor(Date.now() / 1000);
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const done = (status: number | null, error: string | null) => resolve({ ok: status !== null && status >= 200 && status < 300, status, error, durationMs: Date.now() - started });
    const req = lib.request(
      target,
      {
        method: "POST",
        lookup: guardedLookup(allowPrivate),
        timeout: timeoutMs,
        headers: { "content-type": "application/json", "user-agent": "vserver-panel-webhook/1", "x-vsp-signature": webhookSignature(secret, t, body), ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume(); // the answer's body is not ours to read
        done(res.statusCode ?? null, res.statusCode && res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`);
        res.destroy();
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (e) => done(null, e.message.slice(0, 300)));
    req.end(body);
  });
}
