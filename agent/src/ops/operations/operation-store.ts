/**
 * Slow operations (build): an id, progress and log lines, kept in memory and written to
 * `RUNDIR/operations/ID.json` at every change, so `getOperation` answers after an agent
 * restart. An operation the previous agent left "running" is marked failed at start
 * (its build is removed by reconcileHost: it holds `.build-incomplete`).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { operationInfo, type OperationInfo } from "@/lib/protocol/vservers";
import type { HostPaths } from "../../config/paths";
import { operationsDir } from "../../config/vserver/layout";
import { writeAtomic } from "../../config/vserver/value-files";
import { AgentFailure } from "../../errors";

const stored = operationInfo.extend({ agentPid: z.number().int() });
const operationResult = operationInfo.shape.result.unwrap();
type Stored = z.infer<typeof stored>;

/** Handle of a running operation. */
export interface OperationHandle {
  id: string;
  log(text: string): void;
  progress(percent: number): void;
}

const MAX_LINES = 2000;
const KEEP_MS = 7 * 24 * 3600 * 1000;

/** The in-memory table plus its files. */
export class OperationStore {
  private readonly ops = new Map<string, Stored>();
  constructor(private readonly paths: HostPaths) {}

  private file(id: string): string {
    return path.join(operationsDir(this.paths), `${id}.json`);
  }

  private save(op: Stored): void {
    writeAtomic(this.file(op.id), JSON.stringify(op), 0o600);
  }

  /** Loads the records on disk; ones a dead agent left running become failed. Old ones go. */
  load(): void {
    let names: string[] = [];
    try {
      names = fs.readdirSync(operationsDir(this.paths)).filter((n) => /^[\w-]+\.json$/.test(n));
    } catch {
      return;
    }
    for (const n of names) {
      try {
        const op = stored.parse(JSON.parse(fs.readFileSync(path.join(operationsDir(this.paths), n), "utf8")));
        if (Date.parse(op.startedAt) < Date.now() - KEEP_MS) {
          fs.rmSync(path.join(operationsDir(this.paths), n), { force: true });
          continue;
        }
        if (op.state === "running" && op.agentPid !== process.pid) {
          op.state = "failed";
          op.finishedAt = new Date().toISOString();
          op.error = { code: "INTERNAL", message: "interrupted: the agent stopped while this operation ran; its partial work was reverted" };
          this.save(op);
        }
        this.ops.set(op.id, op);
      } catch {
        /* an unreadable record is skipped */
      }
    }
  }

  /**
   * Starts `work` as an operation and returns its id at once. A plain object of scalars
   * that the work resolves with becomes the operation's `result`.
   */
  start(type: string, target: string | null, work: (h: OperationHandle) => Promise<unknown>): string {
    const id = crypto.randomUUID();
    const op: Stored = {
      id, type, target, state: "running", progress: 0, lines: [], nextLine: 0, error: null,
      startedAt: new Date().toISOString(), finishedAt: null, agentPid: process.pid,
    };
    this.ops.set(id, op);
    this.save(op);
    const handle: OperationHandle = {
      id,
      log: (text) => {
        op.lines.push({ seq: op.nextLine++, at: new Date().toISOString(), text: text.slice(0, 4096) });
        if (op.lines.length > MAX_LINES) op.lines.splice(0, op.lines.length - MAX_LINES);
        this.save(op);
      },
      progress: (p) => {
        op.progress = Math.max(op.progress, Math.min(100, p));
        this.save(op);
      },
    };
    void work(handle).then(
      (value) => {
        const result = operationResult.safeParse(value);
        if (result.success) op.result = result.data;
        op.state = "succeeded";
        op.progress = 100;
        op.finishedAt = new Date().toISOString();
        this.save(op);
      },
      (e: unknown) => {
        op.state = "failed";
        op.finishedAt = new Date().toISOString();
        op.error = e instanceof AgentFailure ? { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } : { code: "INTERNAL", message: String((e as Error)?.message ?? e) };
        handle.log(`failed: ${op.error.message}`);
      },
    );
    return id;
  }

  /** The operation with lines from `sinceLine` on; NOT_FOUND for an unknown id. */
  get(id: string, sinceLine = 0): OperationInfo {
    const op = this.ops.get(id);
    if (!op) throw new AgentFailure("NOT_FOUND", `no operation ${id}`, "id");
    const { agentPid: _pid, ...info } = op;
    return { ...info, lines: op.lines.filter((l) => l.seq >= sinceLine) };
  }

  /** Resolves when the operation is no longer running (for tests and callers that wait). */
  async settled(id: string): Promise<OperationInfo> {
    for (;;) {
      const op = this.get(id);
      if (op.state !== "running") return op;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
