/**
 * Wires consoles into the panel's socket.io (lib/realtime/attach.ts): the console
 * messages of each socket go to that socket's SocketConsoles, made on its first console
 * message and disposed (every shell hung up) when the socket disconnects. A sweep
 * (console-sweep.ts) re-checks the open ones while they run.
 */
import type { Socket } from "socket.io";
import { db } from "@/lib/db/client";
import { hostCredentialPurpose, panelSecret } from "@/lib/env";
import type { ClientMessage } from "@/lib/protocol/realtime";
import { open as openSealed } from "@/lib/security/secret-box";
import type { Actor } from "@/lib/server/actor";
import { consoleIdleMinutes } from "@/lib/server/console/console-settings";
import { consoleRevocation } from "@/lib/server/console/console-liveness";
import { endConsoleSession } from "@/lib/server/console/end-console-session";
import { redeemConsoleTicket } from "@/lib/server/console/redeem-console-ticket";
import { onRealtimeMessage } from "../attach";
import { openAgentConsole } from "./agent-console-link";
import { startConsoleSweep } from "./console-sweep";
import { requestClientIp } from "@/lib/auth/client-ip";
import { SocketConsoles, type ConsoleDeps } from "./socket-consoles";

/** The real dependencies for one actor: the panel's database and the hosts' agents. */
function consoleDeps(actor: Actor): ConsoleDeps {
  return {
    redeem: (ticket) => redeemConsoleTicket(db(), actor, ticket),
    idleMinutes: () => consoleIdleMinutes(db()),
    connect: (redeemed, query, handlers) => {
      // The host credential is opened only here, for this one connection.
      const credential = openSealed(panelSecret(), hostCredentialPurpose, redeemed.host.credentialCiphertext);
      return openAgentConsole({ endpoint: redeemed.host.endpoint, credential, tlsCaPem: redeemed.host.tlsCaPem }, query, handlers);
    },
    end: (sessionId, end) => endConsoleSession(db(), actor, sessionId, end),
    revocation: (serverId) => consoleRevocation(db(), actor, serverId),
  };
}

const perSocket = new WeakMap<Socket, SocketConsoles>();
/** Every socket's consoles in this process, for the sweep. */
const live = new Set<SocketConsoles>();

function consolesOf(socket: Socket, actor: Actor): SocketConsoles {
  let c = perSocket.get(socket);
  if (!c) {
    // The audit and ConsoleSession record the socket's real peer, not a header it sent.
    c = new SocketConsoles(socket, consoleDeps({ ...actor, ip: requestClientIp(socket.request) }));
    perSocket.set(socket, c);
    live.add(c);
    const made = c;
    socket.once("disconnect", () => {
      live.delete(made);
      made.dispose();
    });
  }
  return c;
}

async function handle(socket: Socket, actor: Actor, msg: ClientMessage): Promise<boolean> {
  switch (msg.type) {
    case "console.open":
      await consolesOf(socket, actor).open(msg);
      return true;
    case "console.input":
      perSocket.get(socket)?.input(msg.sessionId, msg.data);
      return true;
    case "console.resize":
      perSocket.get(socket)?.resize(msg.sessionId, msg.cols, msg.rows);
      return true;
    case "console.close":
      perSocket.get(socket)?.close(msg.sessionId);
      return true;
    default:
      return false;
  }
}

let attached = false;

/** Registers the console handlers (once per process). */
export function attachConsoles(): void {
  if (attached) return;
  attached = true;
  onRealtimeMessage(handle);
  startConsoleSweep(db, live);
}
