/**
 * The agent daemon: one per host, as root. It answers the panel's typed operations
 * and owns what exists on the host. Vservers do not depend on this process: stopping
 * or crashing it leaves them running, and a new agent finds them again.
 */
import { agentStateDir, defaultSocketPath, hostPaths } from "./config/paths";
import { credentialFiles, ensureCredential } from "./auth/credential";
import { createApiServer } from "./http/http-server";
import { attachConsoleEndpoint } from "./http/console-endpoint";
import { isLoopbackListen, listen, listenSpec } from "./http/listen";
import { ensureSelfSignedCert } from "./http/self-signed-cert";
import { log } from "./http/log";
import { agentVersion } from "./version";
import { reconcileHost } from "./ops/lifecycle/reconcile-host";
import { superviseRescues } from "./ops/rescue/supervise-rescues";
import { recoverBackupViews } from "./ops/backup/recover-backup-views";
import { clearStagedTransfers } from "./ops/migration/transfer-files";
import { registerAgentServers } from "./ops/allocation/host-claims";
import { hostCgroups } from "./ops/runtime/host-cgroups";
import { operationStore } from "./routes/operation-registry";
import { enableStartHelperPool } from "./ops/runtime/start-helper-pool";
import { runningSampler, startUsageSampler, stopUsageSampler } from "./ops/history/usage-sampler";
import { historyPaths } from "./ops/history/history-paths";
import { stopDaemon } from "./ops/history/rrdcached-daemon";
import { superviseOwnView } from "./ops/runtime/own-view";
import { startCriuCheck } from "./kernel/criu-check";
import { startMetricsEndpoint } from "./http/metrics-endpoint";
import fs from "node:fs";

async function main(): Promise<void> {
  const paths = hostPaths();
  const stateDir = agentStateDir(paths);
  const credential = ensureCredential(stateDir);
  if (credential.created) {
    log("info", "created agent credential", { file: credentialFiles(stateDir).token });
  }
  let hash = credential.hash;
  // Re-read the hash on SIGHUP so a rotated credential takes effect without a restart.
  process.on("SIGHUP", () => {
    hash = fs.readFileSync(credentialFiles(stateDir).hash, "utf8").trim();
    log("info", "reloaded credential");
  });
  // Operations a previous agent left running are marked failed before anyone can ask.
  operationStore(paths);
  await hostCgroups();
  enableStartHelperPool();
  const server = createApiServer({ paths, credentialHash: () => hash });
  const listenAt = process.env.AGENT_LISTEN?.trim() ?? "";
  if (listenAt && !listenAt.startsWith("unix:") && !process.env.AGENT_TLS_CERT && !isLoopbackListen(listenAt)) {
    const tls = ensureSelfSignedCert(stateDir, listenAt.replace(/:\d+$/, "").replace(/^\[|\]$/g, ""));
    if (tls.created) log("info", "created a self-signed TLS certificate; give it to the panel when enrolling this host", { file: tls.cert });
    process.env.AGENT_TLS_CERT = tls.cert;
    process.env.AGENT_TLS_KEY = tls.key;
  }
  const spec = listenSpec(defaultSocketPath(paths));
  const listening = await listen(server, spec);
  // Browser consoles: a WebSocket upgrade on the server that listens (TLS wraps only requests).
  attachConsoleEndpoint(listening, { paths, credentialHash: () => hash });
  log("info", "agent listening", { version: agentVersion, listen: spec.kind === "unix" ? spec.path : `${spec.host}:${spec.port}`, ...paths });
  // The servers' own view of their resources (LXCFS): started or adopted now, then
  // restarted whenever it dies. It outlives the agent: running servers' /proc binds need it.
  superviseOwnView(paths, 10_000, (s) => log(s.mode === "lxcfs" ? "info" : "error", "own-resource view", { ...s }));
  // Whether live moves (CRIU) could work here: checked once, in the background, for the capabilities.
  void startCriuCheck().then((v) => log(v.passes ? "info" : "warn", "criu check (live moves)", { ...v }));
  // Our servers' ids in the host-wide registry (a reboot empties /run), so other agents
  // on this machine do not choose them.
  registerAgentServers(paths).catch((error: unknown) => log("error", "registering ids host-wide failed", { error: String((error as Error)?.message ?? error) }));
  // Thaw a server a killed agent left frozen for a backup's copy, before anything else.
  await recoverBackupViews(paths).then(
    (names) => names.length && log("info", "cleared interrupted backups", { names }),
    (error: unknown) => log("error", "clearing interrupted backups failed", { error: String((error as Error)?.message ?? error) }),
  );
  // Transfers cut off by this agent's end (a killed source or target) left staged files.
  clearStagedTransfers(paths);
  // Find running servers again, clean up after ended ones, start those marked for boot.
  reconcileHost(paths).then(
    (report) => log("info", "reconciled vservers", { ...report }),
    (error: unknown) => log("error", "reconcile failed", { error: String((error as Error)?.message ?? error) }),
  );

  // Rescues whose time is up end here too (a rescue started before this agent's start).
  superviseRescues(paths, 30_000, (ended, failed) => log(failed.length ? "error" : "info", "ended expired rescues", { ended, failed }));

  let metrics: import("node:http").Server | null = null;
  let historyStarting: Promise<unknown> = Promise.resolve();
  const stop = (signal: string): void => {
    log("info", "agent stopping; vservers keep running", { signal });
    listening.close();
    metrics?.close();
    if (spec.kind === "unix") fs.rmSync(spec.path, { force: true });
    // The ledger is saved and rrdcached writes what it caches before the agent ends.
    void historyStarting
      .then(() => stopUsageSampler(paths))
      .then(() => stopDaemon(historyPaths(paths)))
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  // Usage history: rrdcached (started or adopted) and the 10 s sampler. A host without
  // it still runs its servers; the history operations then answer UNSUPPORTED.
  historyStarting = startUsageSampler(paths).then(
    () => log("info", "usage history running", { dir: historyPaths(paths).baseDir }),
    (error: unknown) => log("error", "usage history is not running", { error: String((error as Error)?.message ?? error) }),
  );
  await historyStarting;
  metrics = await startMetricsEndpoint(stateDir, () => runningSampler(paths)).catch((error: unknown) => {
    log("error", "metrics endpoint failed to start", { error: String((error as Error)?.message ?? error) });
    return null;
  });
}

main().catch((error: unknown) => {
  log("error", "agent failed to start", { error: String((error as Error)?.message ?? error) });
  process.exit(1);
});
