/**
 * The live tail of usage graphs over socket.io: a socket that sends `usage.watch` for a
 * server it may see (checked like the server page; another tenant's id gets an error,
 * never data) receives that server's latest sample at once and then every 10 s, the
 * agent's sampling interval, until `usage.unwatch` or the socket closes. At most 4
 * servers per socket. The rounds are the process's one usage tail (./usage-tail.ts):
 * one read per watched server per interval, however many sockets watch it.
 */
import type { Socket } from "socket.io";
import { db } from "@/lib/db/client";
import { realtimeEvent, type ServerMessage } from "@/lib/protocol/realtime";
import { readServerSample } from "@/lib/server/usage/read-server-history";
import { onRealtimeMessage } from "../attach";
import { UsageTail } from "./usage-tail";

const everyMs = Number(process.env.USAGE_TAIL_MS) > 0 ? Number(process.env.USAGE_TAIL_MS) : 10_000;
const maxWatches = 4;
/** A socket's watches: server id → remover (null while the first sample is read). */
const watches = new WeakMap<Socket, Map<string, (() => void) | null>>();
const holder = globalThis as unknown as { __vsUsageTail?: UsageTail };

function tail(): UsageTail {
  holder.__vsUsageTail ??= new UsageTail(db(), everyMs);
  return holder.__vsUsageTail;
}

/** Registers the usage messages with the panel's socket.io. */
export function attachUsageTail(): void {
  onRealtimeMessage(async (socket, actor, msg) => {
    if (msg.type !== "usage.watch" && msg.type !== "usage.unwatch") return false;
    let mine = watches.get(socket);
    if (!mine) {
      mine = new Map();
      watches.set(socket, mine);
      const own = mine;
      socket.on("disconnect", () => {
        for (const remove of own.values()) remove?.();
        own.clear();
      });
    }
    const send = (m: ServerMessage) => socket.emit(realtimeEvent, m);
    if (msg.type === "usage.unwatch") {
      mine.get(msg.serverId)?.();
      mine.delete(msg.serverId);
      return true;
    }
    if (mine.has(msg.serverId) || mine.size >= maxWatches) return true;
    // Held before the first sample is read, so a second watch arriving meanwhile is a no-op.
    mine.set(msg.serverId, null);
    try {
      // The permission check (404 for another tenant's id) and the first sample at once.
      send({ type: "usage.sample", serverId: msg.serverId, sample: await readServerSample(db(), actor, msg.serverId) });
    } catch (error) {
      const notFound = (error as { code?: string }).code === "NOT_FOUND";
      send({ type: "error", message: notFound ? "Server not found" : "usage is not available right now", about: msg.serverId });
      if (notFound) {
        mine.delete(msg.serverId);
        return true;
      }
    }
    if (!mine.has(msg.serverId) || !socket.connected) return true; // unwatched or closed meanwhile
    const own = mine;
    const remove = tail().add(msg.serverId, { actor, send, ended: () => own.delete(msg.serverId) });
    mine.set(msg.serverId, remove);
    return true;
  });
}
