/**
 * The agent's /metrics: off unless AGENT_METRICS_LISTEN is set, 401 without the token,
 * the exposition of the sampler's last sweep with it (server counters, ledger traffic,
 * host gauges), label values escaped.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import type { UsageSampler } from "../ops/history/usage-sampler";
import { metricsToken, renderMetrics, startMetricsEndpoint } from "./metrics-endpoint";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vst-metrics-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const sampler = {
  previous: new Map([["web", { raw: { cpu: 2_500_000, memory: 1024, oomKills: 1 }, at: 0, run: "1:1" }]]),
  hostPrevious: { raw: { cpu: 300, servers: 1 }, at: 0 },
  ledger: { totals: () => [{ name: "web", rxBytes: 10, txBytes: 20, updatedAt: "" }] },
} as unknown as UsageSampler;

test("the exposition carries the last sweep", () => {
  const text = renderMetrics(sampler);
  assert.match(text, /^vserver_cpu_seconds_total\{server="web"\} 2\.5$/m);
  assert.match(text, /^vserver_memory_bytes\{server="web"\} 1024$/m);
  assert.match(text, /^vserver_oom_kills_total\{server="web"\} 1$/m);
  assert.match(text, /^vserver_network_receive_bytes_total\{server="web"\} 10$/m);
  assert.match(text, /^vserver_host_cpu_busy_seconds_total 3$/m);
  assert.match(text, /^# TYPE vserver_cpu_seconds_total counter$/m);
});

test("off by default; with a listener, the token is required", async () => {
  assert.equal(await startMetricsEndpoint(dir, () => sampler, {} as NodeJS.ProcessEnv), null);
  const env = { AGENT_METRICS_LISTEN: "127.0.0.1:0" } as unknown as NodeJS.ProcessEnv;
  const server = (await startMetricsEndpoint(dir, () => sampler, env))!;
  try {
    const port = (server.address() as import("node:net").AddressInfo).port;
    const token = metricsToken(dir, env);
    assert.equal(fs.statSync(path.join(dir, "metrics-token")).mode & 0o777, 0o600);
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: "Bearer nope-nope-nope-nope" } })).status, 401);
    const ok = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /vserver_tasks/);
  } finally {
    server.close();
  }
});
