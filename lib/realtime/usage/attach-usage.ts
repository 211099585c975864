/**
 * The live tail of usage graphs over socket.io: a socket that sends `usage.watch` for a
 * server it may see (checked like the server page; another tenant's id gets an error,
 * never data) receives that server's latest sample every 10 s, the agent's sampling
 * interval, until `usage.unwatch` or the socket closes. At most 4 servers per socket.
 */
import type { Socket } from "socket.io";
import { db } from "@/lib/db/client";
import { realtimeEvent, type ServerMessage } from "@/lib/protocol/realtime";
import type { Actor } from "@/lib/server/actor";
import { readServerSample } from "@/lib/server/usage/read-server-history";
import { onRealtimeMessage } from "../attach";

const everyMs = Number(process.env.USAGE_TAIL_MS) > 0 ? Number(process.env.USAGE_TAIL_MS) : 10_000;
const maxWatches = 4;
const watches = new WeakMap<Socket, Map<string, NodeJS.Timeout>>();

function send(socket: Socket, msg: ServerMessage): void {
  socket.emit(realtimeEvent, msg);
}

async function push(socket: Socket, actor: Actor, serverId: string): Promise<boolean> {
  try {
    send(socket, { type: "usage.sample", serverId, sample: await readServerSample(db(), actor, serverId) });
    return true;
  } catch (error) {
    const message = (error as { code?: string }).code === "NOT_FOUND" ? "Server not found" : "usage is not available right now";
    send(socket, { type: "error", message, about: serverId });
    return (error as { code?: string }).code !== "NOT_FOUND";
  }
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
        for (const t of own.values()) clearInterval(t);
        own.clear();
      });
    }
    const existing = mine.get(msg.serverId);
    if (msg.type === "usage.unwatch") {
      if (existing) clearInterval(existing);
      mine.delete(msg.serverId);
      return true;
    }
    if (existing || mine.size >= maxWatches) return true;
    // Held before the first sample is read, so a second watch arriving meanwhile is a no-op.
    const placeholder = setTimeout(() => undefined, 0);
    mine.set(msg.serverId, placeholder);
    if (!(await push(socket, actor, msg.serverId))) {
      mine.delete(msg.serverId);
      return true;
    }
    if (mine.get(msg.serverId) !== placeholder) return true; // unwatched meanwhile
    const own = mine;
    const timer = setInterval(() => {
      // A server the user may no longer see ends the watch (checked on every sample).
      void push(socket, actor, msg.serverId).then((ok) => {
        if (ok) return;
        clearInterval(timer);
        own.delete(msg.serverId);
      });
    }, everyMs);
    mine.set(msg.serverId, timer);
    return true;
  });
}
