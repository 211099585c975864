/**
 * The `vps` view across hosts for support and admins: every process of every host
 * (or one), with its CONTEXT column naming the server, the server's customer, and
 * filters and sorting done here on the collected rows. Least privilege: host processes
 * (context 0) reach support with their name, user and resources but without arguments
 * (the agent leaves them out unless asked, so they never leave the host); admins get
 * full command lines. Processes of servers keep theirs for both.
 */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { notFound } from "@/lib/errors";
import type { Actor } from "@/lib/server/actor";
import { agentForRead } from "@/lib/server/hosts/agent-for-read";
import { parseInput } from "@/lib/server/parse-input";
import type { processRow } from "@/lib/protocol/vservers";

const sortKeys = ["cpu", "rss", "pid", "time", "vserver", "command"] as const;

const listInput = z.object({
  hostId: z.string().max(64).optional(),
  server: z.string().max(64).optional(),
  customer: z.string().max(254).optional(),
  user: z.string().max(64).optional(),
  command: z.string().max(200).optional(),
  guestsOnly: z.union([z.boolean(), z.enum(["0", "1"]).transform((v) => v === "1")]).default(false),
  sort: z.enum(sortKeys).default("cpu"),
  limit: z.coerce.number().int().min(1).max(2000).default(300),
});

/** One row of the cross-host process list: the wire contract's row (less what the view
 * does not show) with its host, its server's record and customer. */
export type ProcessView = Omit<z.infer<typeof processRow>, "ppid" | "vszBytes"> & {
  host: string;
  hostId: string;
  serverId: string | null;
  customer: string | null;
  /** A host process whose arguments this viewer may not see (`command` is then its name only). */
  argumentsHidden: boolean;
};

/** Collects, filters and sorts processes; hosts that do not answer are listed in `unreachable`. */
export async function listProcesses(db: Db, actor: Actor, raw: unknown = {}): Promise<{ rows: ProcessView[]; total: number; unreachable: string[] }> {
  if (actor.role !== "SUPPORT" && actor.role !== "ADMIN") throw notFound();
  const f = parseInput(listInput, raw);
  const hosts = await db.host.findMany({ where: f.hostId ? { id: f.hostId } : {} });
  const servers = await db.vServer.findMany({ select: { id: true, name: true, hostId: true, owner: { select: { email: true } } } });
  const byHostName = new Map(servers.map((s) => [`${s.hostId}/${s.name}`, s]));
  const unreachable: string[] = [];
  const hostCommandLines = actor.role === "ADMIN";
  const perHost = await Promise.all(
    hosts.map(async (h) => {
      try {
        const { processes } = await agentForRead(h).listProcesses({ hostCommandLines });
        return processes.map((p): ProcessView => {
          const server = p.context === 0 ? undefined : byHostName.get(`${h.id}/${p.vserver}`);
          return {
            host: h.name,
            hostId: h.id,
            pid: p.pid,
            guestPid: p.guestPid,
            context: p.context,
            vserver: p.vserver,
            serverId: server?.id ?? null,
            customer: server?.owner.email ?? null,
            user: p.user,
            uid: p.uid,
            guestUid: p.guestUid,
            state: p.state,
            cpuPercent: p.cpuPercent,
            rssBytes: p.rssBytes,
            cpuTimeSec: p.cpuTimeSec,
            startedAt: p.startedAt,
            command: p.command,
            argumentsHidden: p.context === 0 && !hostCommandLines,
          };
        });
      } catch {
        unreachable.push(h.name);
        return [];
      }
    }),
  );
  const lower = (s: string | undefined) => s?.toLowerCase();
  const rows = perHost.flat().filter(
    (r) =>
      (!f.guestsOnly || r.context !== 0) &&
      (!f.server || r.vserver.toLowerCase().includes(lower(f.server)!)) &&
      (!f.customer || (r.customer ?? "").includes(lower(f.customer)!)) &&
      (!f.user || r.user === f.user) &&
      (!f.command || r.command.toLowerCase().includes(lower(f.command)!)),
  );
  const by: Record<(typeof sortKeys)[number], (a: ProcessView, b: ProcessView) => number> = {
    cpu: (a, b) => b.cpuPercent - a.cpuPercent,
    rss: (a, b) => b.rssBytes - a.rssBytes,
    pid: (a, b) => a.pid - b.pid,
    time: (a, b) => b.cpuTimeSec - a.cpuTimeSec,
    vserver: (a, b) => a.vserver.localeCompare(b.vserver) || a.pid - b.pid,
    command: (a, b) => a.command.localeCompare(b.command),
  };
  rows.sort(by[f.sort]);
  return { rows: rows.slice(0, f.limit), total: rows.length, unreachable };
}

/** `vserver-stat` of each host (support and admins). */
export async function vserverStats(db: Db, actor: Actor) {
  if (actor.role !== "SUPPORT" && actor.role !== "ADMIN") throw notFound();
  const hosts = await db.host.findMany({ orderBy: { name: "asc" } });
  return Promise.all(
    hosts.map(async (h) => {
      try {
        return { host: h.name, hostId: h.id, rows: (await agentForRead(h).vserverStat({})).vservers, error: null };
      } catch (e) {
        return { host: h.name, hostId: h.id, rows: [], error: (e as Error).message };
      }
    }),
  );
}
