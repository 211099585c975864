/**
 * The panel's Prometheus metrics (prom-client), off by default: with `PANEL_METRICS_TOKEN`
 * set, `GET /metrics` with `Authorization: Bearer <token>` answers the requests served,
 * the job queue by state, job durations and the open sockets of this instance (plus
 * Node's process metrics). Counters are per instance; the job queue is the database's.
 */
import crypto from "node:crypto";
import type http from "node:http";
import client from "prom-client";
import type { Db } from "@/lib/db/client";

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "vsp_panel_" });

const requests = new client.Counter({ name: "vsp_panel_http_requests_total", help: "HTTP requests answered, by method and status class", labelNames: ["method", "status"], registers: [registry] });
const durations = new client.Histogram({
  name: "vsp_panel_job_duration_seconds",
  help: "Time from a job's start to its end, by type and outcome",
  labelNames: ["type", "state"],
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [registry],
});
let socketCount: () => number = () => 0;
let database: Db | null = null;

new client.Gauge({ name: "vsp_panel_sockets", help: "Open socket.io connections of this instance", registers: [registry], collect() { this.set(socketCount()); } });
new client.Gauge({
  name: "vsp_panel_jobs",
  help: "Jobs in the database by state (queued and running: the queue)",
  labelNames: ["state"],
  registers: [registry],
  async collect() {
    if (!database) return;
    const rows = await database.job.groupBy({ by: ["state"], _count: { _all: true } });
    for (const state of ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]) this.set({ state }, rows.find((r) => r.state === state)?._count._all ?? 0);
  },
});

/** Where the metrics read their live numbers. */
export function configurePanelMetrics(options: { db: Db; sockets: () => number }): void {
  database = options.db;
  socketCount = options.sockets;
}

/** Counts an answered request. */
export function countRequest(method: string | undefined, status: number): void {
  requests.inc({ method: method ?? "GET", status: `${Math.floor(status / 100)}xx` });
}

/** Records a finished job's duration. */
export function observeJob(type: string, state: string, seconds: number): void {
  durations.observe({ type, state }, seconds);
}

/** Answers `/metrics` when the token is set and presented; false when the request is not ours. */
export async function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const token = process.env.PANEL_METRICS_TOKEN?.trim();
  if (!token || (req.url ?? "").split("?")[0] !== "/metrics") return false;
  const given = (req.headers.authorization ?? "").replace(/^Bearer /, "");
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(token).digest();
  if (!crypto.timingSafeEqual(a, b)) {
    res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" }).end("missing or wrong metrics token\n");
    return true;
  }
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType }).end(body);
  return true;
}
