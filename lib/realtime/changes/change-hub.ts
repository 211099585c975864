/**
 * The change hub: one per panel process. Sockets register what they watch (after their
 * own permission check); the hub hears changes on the bus, reads each changed job or
 * server ONCE and hands the result to every watch of it, each of which sends only what
 * its socket has not seen. So the database's query rate follows the rate of changes,
 * not the number of open sockets: idle sockets cost nothing but a slow safety read.
 *
 * Two extra reads keep it exact: a changed row is read again `settleMs` later (a write
 * in a transaction is heard before it commits), and every watched row is read every
 * `safetyPollMs` (a write the bus never heard of: another process on SQLite, a listener
 * connection that was down).
 */
import type { Db } from "@/lib/db/client";
import type { ServerMessage } from "@/lib/protocol/realtime";
import { serverStatusOf, serverStatusSelect } from "@/lib/server/vservers/server-status";
import { onChange, type Change } from "./change-bus";

/** One socket's watch of a job: the last log line and state it has been sent. */
export interface JobWatch {
  seq: number;
  last: string;
  send(msg: ServerMessage): void;
}

/** One socket's watch of a server: the last status it has been sent. */
export interface ServerWatch {
  last: string;
  send(msg: ServerMessage): void;
}

/** Hub settings (tests shorten them). */
export interface ChangeHubOptions {
  /** How long after a change its row is read again (a write heard before its commit). */
  settleMs?: number;
  /** How often every watched row is read even without a change. */
  safetyPollMs?: number;
}

const linesPerRead = 500;
const idsPerQuery = 500;

/** See the file comment. */
export class ChangeHub {
  private readonly jobs = new Map<string, Set<JobWatch>>();
  private readonly servers = new Map<string, Set<ServerWatch>>();
  private readonly dirty = { job: new Set<string>(), server: new Set<string>(), anyJob: false, anyServer: false };
  private readonly settling = { job: new Set<string>(), server: new Set<string>() };
  private flushTimer: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private readonly safetyTimer: NodeJS.Timeout;
  private running: Promise<void> | null = null;
  private again = false;
  private readonly stopListening: () => void;
  private readonly settleMs: number;

  constructor(
    private readonly db: Db,
    options: ChangeHubOptions = {},
  ) {
    this.settleMs = options.settleMs ?? 300;
    this.stopListening = onChange((c) => this.heard(c));
    this.safetyTimer = setInterval(() => {
      if (this.jobs.size === 0 && this.servers.size === 0) return;
      this.dirty.anyJob = this.dirty.anyServer = true;
      void this.flush();
    }, options.safetyPollMs ?? 5000);
    this.safetyTimer.unref();
  }

  /** Adds a job watch and sends it the job's current state; returns the function that removes it. */
  async addJob(jobId: string, watch: JobWatch): Promise<() => void> {
    add(this.jobs, jobId, watch);
    this.dirty.job.add(jobId);
    await this.flush();
    return () => remove(this.jobs, jobId, watch);
  }

  /** Adds server watches and sends each its current status; returns the function that removes them. */
  async addServers(entries: [string, ServerWatch][]): Promise<() => void> {
    for (const [id, watch] of entries) {
      add(this.servers, id, watch);
      this.dirty.server.add(id);
    }
    await this.flush();
    return () => {
      for (const [id, watch] of entries) remove(this.servers, id, watch);
    };
  }

  /** How many rows are watched (for tests and the health page). */
  get watched(): { jobs: number; servers: number } {
    return { jobs: this.jobs.size, servers: this.servers.size };
  }

  /** Stops the hub (tests; a process keeps its hub). */
  close(): void {
    this.stopListening();
    clearInterval(this.safetyTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
  }

  private heard(c: Change): void {
    const watched = c.kind === "job" ? this.jobs : this.servers;
    if (c.id === null) {
      if (c.kind === "job") this.dirty.anyJob = true;
      else this.dirty.anyServer = true;
    } else if (watched.has(c.id)) {
      this.dirty[c.kind].add(c.id);
      this.settling[c.kind].add(c.id);
    } else {
      return;
    }
    // A burst of writes (a build's log) becomes one read.
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, 15);
    this.settleTimer ??= setTimeout(() => {
      this.settleTimer = null;
      for (const kind of ["job", "server"] as const) {
        for (const id of this.settling[kind]) this.dirty[kind].add(id);
        this.settling[kind].clear();
      }
      void this.flush();
    }, this.settleMs);
  }

  /** Reads what is dirty and sends it; one flush at a time (a request during one runs after it). */
  private flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.flushServers();
          await this.flushJobs();
        } catch (error) {
          console.error("live updates: read failed", error);
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async flushServers(): Promise<void> {
    const ids = this.dirty.anyServer ? [...this.servers.keys()] : [...this.dirty.server].filter((id) => this.servers.has(id));
    this.dirty.anyServer = false;
    this.dirty.server.clear();
    for (let i = 0; i < ids.length; i += idsPerQuery) {
      const chunk = ids.slice(i, i + idsPerQuery);
      const rows = await this.db.vServer.findMany({ where: { id: { in: chunk } }, select: { id: true, ...serverStatusSelect } });
      const found = new Map(rows.map((r) => [r.id, serverStatusOf(r)]));
      for (const id of chunk) {
        const status = found.get(id) ?? null;
        const key = JSON.stringify(status);
        for (const w of this.servers.get(id) ?? []) {
          if (w.last === key) continue;
          w.last = key;
          w.send({ type: "server.state", serverId: id, status });
        }
      }
    }
  }

  private async flushJobs(): Promise<void> {
    const ids = this.dirty.anyJob ? [...this.jobs.keys()] : [...this.dirty.job].filter((id) => this.jobs.has(id));
    this.dirty.anyJob = false;
    this.dirty.job.clear();
    for (const jobId of ids) {
      const watches = [...(this.jobs.get(jobId) ?? [])];
      if (watches.length === 0) continue;
      const since = Math.min(...watches.map((w) => w.seq));
      const job = await this.db.job.findUnique({ where: { id: jobId }, include: { lines: { where: { seq: { gt: since } }, orderBy: { seq: "asc" }, take: linesPerRead } } });
      if (!job) continue;
      // More lines than one read carries: read on.
      if (job.lines.length === linesPerRead) {
        this.dirty.job.add(jobId);
        this.again = true;
      }
      const key = `${job.state}|${job.progress}|${job.error ?? ""}`;
      for (const w of watches) {
        const lines = job.lines.filter((l) => l.seq > w.seq);
        if (key === w.last && lines.length === 0) continue;
        w.last = key;
        w.seq = lines.at(-1)?.seq ?? w.seq;
        w.send({
          type: "job.update",
          job: { id: job.id, type: job.type, state: job.state, progress: job.progress, error: job.error, vserverId: job.vserverId },
          lines: lines.map((l) => ({ seq: l.seq, text: l.text, stream: l.stream })),
        });
      }
    }
  }
}

function add<W>(map: Map<string, Set<W>>, id: string, w: W): void {
  let set = map.get(id);
  if (!set) map.set(id, (set = new Set()));
  set.add(w);
}

function remove<W>(map: Map<string, Set<W>>, id: string, w: W): void {
  const set = map.get(id);
  if (!set) return;
  set.delete(w);
  if (set.size === 0) map.delete(id);
}
