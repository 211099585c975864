/** What a job handler gets: its job, payload, a typed agent for its host, and log/progress helpers. */
import type { AgentClient } from "@/lib/agent-client";
import type { Db } from "@/lib/db/client";

/** The context of one job run. */
export interface JobContext {
  db: Db;
  job: { id: string; type: string; vserverId: string | null; hostId: string | null; agentOperationId: string | null; attempts: number; createdById: string | null };
  payload: Record<string, unknown>;
  /** The job's host's agent (throws when the job has no host). */
  agent(): AgentClient;
  log(...lines: string[]): Promise<void>;
  progress(percent: number): Promise<void>;
  /** Remembers the agent's operation id so a resumed job follows it instead of starting over. */
  setAgentOperation(id: string): Promise<void>;
}

/** A job handler: resolves with a result to store, throws to fail the job. */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void>;
