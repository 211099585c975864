/**
 * The usage tail of one panel process: every interval, the latest samples of all watched
 * servers are read once — one database query for the servers and one agent call per host
 * — and handed to each socket that watches them. Idle tabs on server pages thus cost one
 * read per server per interval, not one per tab. Who may watch is checked when a watch
 * begins (by the caller) and again every `recheckEvery` rounds (a minute: one query per
 * distinct user watching), so a server given to another customer stops reaching the old
 * one's open page; a signed-out session's socket is closed by the session guard.
 */
import type { Db } from "@/lib/db/client";
import type { ServerMessage } from "@/lib/protocol/realtime";
import type { ServerSample } from "@/lib/protocol/usage";
import type { Actor } from "@/lib/server/actor";
import { agentForRead } from "@/lib/server/hosts/agent-for-read";
import { visibleServersWhere } from "@/lib/server/vservers/visible-servers-where";

/** One socket's watch of a server's usage. */
export interface UsageWatch {
  actor: Pick<Actor, "userId" | "role">;
  send(msg: ServerMessage): void;
  /** Called when the watch ends on the tail's side (the server is no longer visible). */
  ended(): void;
}

/** See the file comment. */
export class UsageTail {
  private readonly watches = new Map<string, Set<UsageWatch>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private rounds = 0;

  constructor(
    private readonly db: Db,
    private readonly everyMs: number,
    private readonly recheckEvery = Math.max(1, Math.round(60_000 / everyMs)),
  ) {}

  /** Adds a watch (the caller has checked the actor may see the server); returns its remover. */
  add(serverId: string, watch: UsageWatch): () => void {
    let set = this.watches.get(serverId);
    if (!set) this.watches.set(serverId, (set = new Set()));
    set.add(watch);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.everyMs);
      this.timer.unref();
    }
    return () => this.remove(serverId, watch);
  }

  /** Servers watched (tests). */
  get watched(): number {
    return this.watches.size;
  }

  /** Stops the tail (tests). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private remove(serverId: string, watch: UsageWatch): void {
    const set = this.watches.get(serverId);
    set?.delete(watch);
    if (set && set.size === 0) this.watches.delete(serverId);
    if (this.watches.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** One round: a query for the watched servers, one agent call per host, a sample to each watch. */
  async tick(): Promise<void> {
    if (this.ticking || this.watches.size === 0) return;
    this.ticking = true;
    try {
      if (++this.rounds % this.recheckEvery === 0) await this.recheck([...this.watches.keys()]);
      if (this.watches.size === 0) return;
      const rows = await this.db.vServer.findMany({
        where: { id: { in: [...this.watches.keys()] } },
        select: { id: true, name: true, host: { select: { id: true, name: true, endpoint: true, credentialCiphertext: true, tlsCaPem: true, status: true, lastSeenAt: true } } },
      });
      const byHost = new Map<string, typeof rows>();
      for (const r of rows) byHost.set(r.host.id, [...(byHost.get(r.host.id) ?? []), r]);
      await Promise.all(
        [...byHost.values()].map(async (servers) => {
          let samples: Map<string, ServerSample> | null = null;
          try {
            const answer = await agentForRead(servers[0]!.host).getUsageSamples({ names: servers.map((s) => s.name) });
            samples = new Map(answer.servers.map((s) => [s.name, s]));
          } catch {
            samples = null;
          }
          for (const s of servers) {
            for (const w of this.watches.get(s.id) ?? []) {
              if (samples) w.send({ type: "usage.sample", serverId: s.id, sample: samples.get(s.name) ?? null });
              else w.send({ type: "error", message: "usage is not available right now", about: s.id });
            }
          }
        }),
      );
      // A watched server that is gone ends its watches.
      const found = new Set(rows.map((r) => r.id));
      for (const id of [...this.watches.keys()].filter((i) => !found.has(i))) this.end(id, [...(this.watches.get(id) ?? [])]);
    } catch (error) {
      console.error("usage tail failed", error);
    } finally {
      this.ticking = false;
    }
  }

  /** Re-checks the watchers of these servers: one query per distinct actor among them. */
  private async recheck(serverIds: string[]): Promise<void> {
    const byActor = new Map<string, { actor: UsageWatch["actor"]; pairs: [string, UsageWatch][] }>();
    for (const id of serverIds) {
      for (const w of this.watches.get(id) ?? []) {
        const key = `${w.actor.role}:${w.actor.userId}`;
        const entry = byActor.get(key) ?? { actor: w.actor, pairs: [] };
        entry.pairs.push([id, w]);
        byActor.set(key, entry);
      }
    }
    for (const { actor, pairs } of byActor.values()) {
      try {
        const visible = await this.db.vServer.findMany({ where: { AND: [{ id: { in: [...new Set(pairs.map(([id]) => id))] } }, visibleServersWhere(actor)] }, select: { id: true } });
        const ok = new Set(visible.map((v) => v.id));
        for (const [id, w] of pairs) if (!ok.has(id)) this.end(id, [w]);
      } catch (error) {
        console.error("usage tail: permission check failed", error);
      }
    }
  }

  private end(serverId: string, watches: UsageWatch[]): void {
    for (const w of watches) {
      w.send({ type: "error", message: "Server not found", about: serverId });
      this.remove(serverId, w);
      w.ended();
    }
  }
}
