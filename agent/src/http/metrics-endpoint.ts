/**
 * Prometheus metrics of the host and its servers, off by default: `AGENT_METRICS_LISTEN=
 * HOST:PORT` turns it on, on its own listener (the API socket is for the panel only).
 * Every scrape must present `Authorization: Bearer <token>`, the token being the content
 * of `AGENT_METRICS_TOKEN_FILE` or of `<confDir>/.agent/metrics-token` (made at first
 * start, mode 0600). Like the API, a non-loopback address needs TLS (AGENT_TLS_CERT/KEY).
 * Values come from the sampler's last sweep: nothing is read from the kernel per scrape.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { UsageSampler } from "../ops/history/usage-sampler";
import { listen, listenSpec } from "./listen";

/** The scrape token: read from the configured file, or made once in the state dir. */
export function metricsToken(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = env.AGENT_METRICS_TOKEN_FILE?.trim() || path.join(stateDir, "metrics-token");
  if (!fs.existsSync(file)) fs.writeFileSync(file, `${crypto.randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  const token = fs.readFileSync(file, "utf8").trim();
  if (token.length < 16) throw new Error(`${file}: the metrics token must have at least 16 characters`);
  return token;
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Server series: [metric name, help, type, raw key, factor]. Counters are cumulative since the server's start. */
const serverSeries: [string, string, "counter" | "gauge", string, number][] = [
  ["vserver_cpu_seconds_total", "CPU time used", "counter", "cpu", 1e-6],
  ["vserver_cpu_throttled_seconds_total", "Time held back by the CPU quota", "counter", "cpuThrottled", 1e-6],
  ["vserver_memory_bytes", "Memory in use", "gauge", "memory", 1],
  ["vserver_memory_peak_bytes", "Highest memory use since start", "gauge", "memoryPeak", 1],
  ["vserver_swap_bytes", "Swap in use", "gauge", "swap", 1],
  ["vserver_tasks", "Processes and threads", "gauge", "tasks", 1],
  ["vserver_io_read_bytes_total", "Bytes read from block devices", "counter", "ioReadBytes", 1],
  ["vserver_io_write_bytes_total", "Bytes written to block devices", "counter", "ioWriteBytes", 1],
  ["vserver_io_reads_total", "Read operations", "counter", "ioReadOps", 1],
  ["vserver_io_writes_total", "Write operations", "counter", "ioWriteOps", 1],
  ["vserver_network_receive_packets_total", "Packets received", "counter", "netRxPackets", 1],
  ["vserver_network_transmit_packets_total", "Packets sent", "counter", "netTxPackets", 1],
  ["vserver_disk_used_bytes", "Disk space used", "gauge", "diskBytes", 1],
  ["vserver_disk_used_inodes", "Inodes used", "gauge", "diskInodes", 1],
  ["vserver_oom_kills_total", "Processes killed by the OOM killer", "counter", "oomKills", 1],
];

const hostSeries: [string, string, "counter" | "gauge", string, number][] = [
  ["vserver_host_cpu_busy_seconds_total", "Host CPU time not idle", "counter", "cpu", 0.01],
  ["vserver_host_memory_used_bytes", "Host memory in use", "gauge", "memoryUsed", 1],
  ["vserver_host_memory_total_bytes", "Host memory", "gauge", "memoryTotal", 1],
  ["vserver_host_load1", "Host load average (1 min)", "gauge", "load1", 1],
  ["vserver_host_disk_used_bytes", "Used space of the servers' filesystem", "gauge", "diskUsed", 1],
  ["vserver_host_servers_running", "Running servers", "gauge", "servers", 1],
];

/** The exposition text of the sampler's last sweep. */
export function renderMetrics(s: UsageSampler): string {
  const out: string[] = [];
  for (const [metric, help, type, key, factor] of serverSeries) {
    out.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} ${type}`);
    for (const [name, p] of s.previous) {
      const v = p.raw[key];
      if (v !== null && v !== undefined) out.push(`${metric}{server="${esc(name)}"} ${v * factor}`);
    }
  }
  // Traffic from the ledger: counted across restarts of the server and the agent.
  out.push("# HELP vserver_network_receive_bytes_total Bytes received since the server was created", "# TYPE vserver_network_receive_bytes_total counter");
  const totals = s.ledger.totals();
  for (const t of totals) out.push(`vserver_network_receive_bytes_total{server="${esc(t.name)}"} ${t.rxBytes}`);
  out.push("# HELP vserver_network_transmit_bytes_total Bytes sent since the server was created", "# TYPE vserver_network_transmit_bytes_total counter");
  for (const t of totals) out.push(`vserver_network_transmit_bytes_total{server="${esc(t.name)}"} ${t.txBytes}`);
  for (const [metric, help, type, key, factor] of hostSeries) {
    const v = s.hostPrevious?.raw[key];
    if (v === null || v === undefined) continue;
    out.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} ${type}`, `${metric} ${v * factor}`);
  }
  return `${out.join("\n")}\n`;
}

/** Starts the metrics listener when AGENT_METRICS_LISTEN is set; returns it (or null). */
export async function startMetricsEndpoint(stateDir: string, sampler: () => UsageSampler | null, env: NodeJS.ProcessEnv = process.env): Promise<http.Server | null> {
  const at = env.AGENT_METRICS_LISTEN?.trim();
  if (!at) return null;
  const expected = crypto.createHash("sha256").update(metricsToken(stateDir, env)).digest();
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? "";
    const given = crypto.createHash("sha256").update(auth.startsWith("Bearer ") ? auth.slice(7).trim() : "").digest();
    if (!crypto.timingSafeEqual(given, expected)) {
      res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain" }).end("missing or wrong metrics token\n");
      return;
    }
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("only GET /metrics\n");
      return;
    }
    const s = sampler();
    if (!s) {
      res.writeHead(503, { "content-type": "text/plain" }).end("usage sampling is not running\n");
      return;
    }
    const body = renderMetrics(s);
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4", "content-length": Buffer.byteLength(body) }).end(body);
  });
  return listen(server, listenSpec("", { ...env, AGENT_LISTEN: at }));
}
