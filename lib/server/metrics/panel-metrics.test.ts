/** The panel's /metrics: off without a token, 401 with a wrong one, the series with the right one. */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { configurePanelMetrics, countRequest, observeJob, serveMetrics } from "./panel-metrics";

let server: http.Server;
let url = "";
before(async () => {
  configurePanelMetrics({ db: { job: { groupBy: async () => [{ state: "QUEUED", _count: { _all: 4 } }] } } as never, sockets: () => 3 });
  server = http.createServer((req, res) => void serveMetrics(req, res).then((served) => (served ? undefined : res.writeHead(404).end("next"))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
after(() => server.close());

test("off by default, authenticated when on", async () => {
  delete process.env.PANEL_METRICS_TOKEN;
  assert.equal(await (await fetch(url)).text(), "next");
  process.env.PANEL_METRICS_TOKEN = "metrics-token-of-some-length";
  assert.equal((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status, 401);
  countRequest("GET", 204);
  observeJob("server.start", "SUCCEEDED", 2.5);
  const res = await fetch(url, { headers: { authorization: "Bearer metrics-token-of-some-length" } });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.match(text, /vsp_panel_http_requests_total\{method="GET",status="2xx"\} 1/);
  assert.match(text, /vsp_panel_jobs\{state="QUEUED"\} 4/);
  assert.match(text, /vsp_panel_sockets 3/);
  assert.match(text, /vsp_panel_job_duration_seconds_count\{type="server.start",state="SUCCEEDED"\} 1/);
});
