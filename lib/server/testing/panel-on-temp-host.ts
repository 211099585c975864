/**
 * The panel below its pages, on the real kernel, for root tests: a temporary host
 * (agent/src/ops/testing/temp-host.ts), a real agent daemon on it, a fresh SQLite
 * database migrated as `npm start` does, the host enrolled as the local one (and probed,
 * so its capabilities are known), and the real job runner. `settle` runs jobs until one
 * ends; `stop` removes all of it (also after a failed test).
 */
import path from "node:path";
import { createAgentClient, type AgentClient } from "@/lib/agent-client";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { databaseTarget } from "@/lib/db/url";
import { probeHost } from "@/lib/server/hosts/probe-host";
import { settleJob } from "./settle-job";
import { JobRunner } from "@/lib/server/jobs/job-runner";
import { registerLocalHost } from "@/lib/server/setup/register-local-host";
import { makeTempHost, type TempHost } from "@/agent/src/ops/testing/temp-host";
import { startAgent, unixReach, type AgentChild } from "@/scripts/start/agent-process";

const repo = path.resolve(import.meta.dirname, "../../..");

/** What a test works with. */
export interface PanelOnTempHost {
  host: TempHost;
  db: Db;
  runner: JobRunner;
  hostId: string;
  /** The agent's client (a new one after {@link restartAgent}). */
  agent(): AgentClient;
  /** Runs the job runner until job `jobId` ends; returns its row. */
  settle(jobId: string): Promise<Awaited<ReturnType<Db["job"]["findUniqueOrThrow"]>>>;
  /** Stops the agent (SIGTERM) without starting another. */
  stopAgent(): Promise<void>;
  /** Starts the agent again on the same host (after {@link stopAgent}). */
  startAgent(): Promise<void>;
  /** Removes everything. */
  stop(): Promise<void>;
}

/** Sets it all up. */
export async function startPanelOnTempHost(): Promise<PanelOnTempHost> {
  const host = makeTempHost();
  process.env.NEXTAUTH_SECRET = "x".repeat(48);
  process.env.DATABASE_URL = `file:${path.join(host.base, "panel.db")}`;
  await migrate(databaseTarget());
  const db = createDb();
  let child: AgentChild | undefined = await startAgent(repo, host.env, unixReach(host.paths));
  let client = createAgentClient({ endpoint: child.endpoint, credential: child.token });
  const hostId = await registerLocalHost(db, child.endpoint, child.token);
  await probeHost(db, hostId);
  const runner = new JobRunner(db, { pollMs: 100 });
  return {
    host,
    db,
    runner,
    hostId,
    agent: () => client,
    settle: (jobId) => settleJob(runner, db, jobId, 1200),
    async stopAgent() {
      await child?.stop();
      child = undefined;
    },
    async startAgent() {
      child = await startAgent(repo, host.env, unixReach(host.paths));
      client = createAgentClient({ endpoint: child.endpoint, credential: child.token });
    },
    async stop() {
      await runner.stop();
      await db.$disconnect();
      await child?.stop();
      await host.cleanup();
    },
  };
}
