/**
 * The OpenAPI document names the panel where the request reached it: the Host (any
 * port), the proxy's https name with TRUST_PROXY=1, NEXTAUTH_URL's scheme for its host;
 * never the address Next.js made up for the request URL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GET } from "./route";

async function serverUrl(headers: Record<string, string>): Promise<string> {
  const res = GET(new Request("http://localhost:3000/api/v1/openapi.json", { headers }));
  const doc = (await res.json()) as { servers: { url: string }[] };
  return doc.servers[0]!.url;
}

test("the servers URL is the request's own origin", async (t) => {
  const saved = { TRUST_PROXY: process.env.TRUST_PROXY, NEXTAUTH_URL: process.env.NEXTAUTH_URL };
  t.after(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  delete process.env.TRUST_PROXY;
  process.env.NEXTAUTH_URL = "https://panel.example.com";
  assert.equal(await serverUrl({ host: "127.0.0.1:4555" }), "http://127.0.0.1:4555/api/v1");
  assert.equal(await serverUrl({ host: "panel.example.com" }), "https://panel.example.com/api/v1");
  assert.equal(await serverUrl({ host: "127.0.0.1:4555", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }), "http://127.0.0.1:4555/api/v1", "forwarded headers are not believed");
  process.env.TRUST_PROXY = "1";
  assert.equal(await serverUrl({ host: "127.0.0.1:4555", "x-forwarded-host": "api.example.com", "x-forwarded-proto": "https" }), "https://api.example.com/api/v1");
});
