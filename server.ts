/**
 * The panel's HTTP server: Next.js plus socket.io on the same port (a custom server,
 * because `next start` cannot host socket.io). It also stamps each request with the
 * client address from the socket, so nothing downstream trusts a client-set header.
 */
import http from "node:http";
import next from "next";
import { clientIpHeader, requestClientIp } from "@/lib/auth/client-ip";
import { panelPort } from "@/lib/env";
import { attachRealtime } from "@/lib/realtime/attach";
import { attachConsoles } from "@/lib/realtime/console/attach-consoles";
import { attachUsageTail } from "@/lib/realtime/usage/attach-usage";
import { db } from "@/lib/db/client";
import { JobRunner } from "@/lib/server/jobs/job-runner";
import { jobRunnerOptions } from "@/lib/server/jobs/runner-settings";
import { startHostMonitor } from "@/lib/server/background/host-monitor";
import { startBackupScheduler } from "@/lib/server/background/backup-scheduler";
import { startReconcileLoop } from "@/lib/server/reconcile/reconcile-loop";
import { startEventLoop } from "@/lib/server/events/event-loop";
import { configurePanelMetrics, countRequest, serveMetrics } from "@/lib/server/metrics/panel-metrics";

/** Options for starting the panel server. */
export interface PanelServerOptions {
  dev?: boolean;
  port?: number;
  hostname?: string;
}


/** Starts Next.js and socket.io; resolves when listening. */
export async function startPanelServer(options: PanelServerOptions = {}): Promise<http.Server> {
  const dev = options.dev ?? process.env.NODE_ENV !== "production";
  const app = next({ dev, dir: import.meta.dirname });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    req.headers[clientIpHeader] = requestClientIp(req) ?? "";
    res.on("finish", () => countRequest(req.method, res.statusCode));
    void serveMetrics(req, res).then((served) => (served ? undefined : handle(req, res)));
  });
  const io = attachRealtime(server);
  configurePanelMetrics({ db: db(), sockets: () => io.engine.clientsCount });
  attachConsoles();
  attachUsageTail();
  // Background work of this panel instance: jobs and the hosts' reconciliation (several
  // instances share both through leases in the database) and host facts.
  const runner = new JobRunner(db(), jobRunnerOptions());
  runner.start();
  const stopMonitor = startHostMonitor(db());
  const stopReconcile = startReconcileLoop(db());
  const stopEvents = startEventLoop(db());
  const stopBackups = startBackupScheduler(db());
  server.on("close", () => {
    stopBackups();
    void runner.stop();
    stopMonitor();
    stopReconcile();
    stopEvents();
  });
  const port = options.port ?? panelPort();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, options.hostname ?? process.env.HOSTNAME ?? "0.0.0.0", () => resolve());
  });
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startPanelServer();
  const address = server.address();
  console.log(`panel listening on http://localhost:${typeof address === "object" && address ? address.port : panelPort()}`);
}
