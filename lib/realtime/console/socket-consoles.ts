/**
 * The consoles of one browser socket: `console.open` redeems a ticket and opens the
 * stream to the server's host; input, resize and close reach only sessions this socket
 * opened (another socket cannot type into them even knowing the id); output goes back
 * as `console.output`. When the socket goes away every shell is hung up, and each
 * session's end is written to ConsoleSession and the audit log. `recheck` (run by the
 * sweep in attach-consoles.ts) ends consoles their user may no longer have. Output
 * pauses while a megabyte waits for a slow browser (the agent then pauses the shell).
 */
import { AgentError } from "@/lib/agent-client/agent-error";
import { AppError } from "@/lib/errors";
import type { ConsoleOpenQuery } from "@/lib/protocol/console";
import { realtimeEvent, type ClientMessage, type ConsoleClosedReason, type ServerMessage } from "@/lib/protocol/realtime";
import { DEFAULT_CONSOLE_IDLE_MINUTES, MAX_CONSOLES_PER_SOCKET } from "@/lib/server/console/console-settings";
import type { ConsoleSessionEnd } from "@/lib/server/console/end-console-session";
import type { RedeemedConsole } from "@/lib/server/console/redeem-console-ticket";
import type { AgentConsoleEnd, AgentConsoleHandlers, AgentConsoleLink } from "./agent-console-link";

/** The socket as the consoles use it: send, and the engine's "drain" (its buffer is flushed). */
export interface ConsoleSocket {
  emit(event: string, msg: ServerMessage): unknown;
  conn: { on(event: "drain", listener: () => void): unknown };
}

/** What the consoles need from the rest of the panel (the database and the agents), bound to this socket's actor. */
export interface ConsoleDeps {
  redeem(ticket: string): Promise<RedeemedConsole>;
  idleMinutes(): Promise<number>;
  connect(redeemed: RedeemedConsole, query: ConsoleOpenQuery, handlers: AgentConsoleHandlers): Promise<AgentConsoleLink>;
  end(sessionId: string, end: ConsoleSessionEnd): Promise<void>;
  /** null while this socket's user may keep a console on the server, else why not. */
  revocation(serverId: string): Promise<string | null>;
}

const HIGH_WATER_CHARS = 1 << 20;

type OpenMessage = Extract<ClientMessage, { type: "console.open" }>;

/** A console of this socket; output that arrives before `console.opened` went out waits in `early`. */
interface Entry {
  ref: string;
  serverId: string;
  link: AgentConsoleLink | null;
  early: string[] | null;
}

/** What an agent refusal means to the person at the console. */
function agentRefusal(error: AgentError): string {
  switch (error.code) {
    case "NOT_FOUND":
      return "The server does not exist on its host.";
    case "WRONG_STATE":
      return "The server is not running.";
    case "LIMIT_EXCEEDED":
      return "This server has too many consoles open; close one first.";
    case "UNREACHABLE":
      return "The server's host cannot be reached right now.";
    default:
      return `The host refused the console (${error.code}, request ${error.requestId}).`;
  }
}

/** One socket's consoles. */
export class SocketConsoles {
  private readonly sessions = new Map<string, Entry>();
  private opening = 0;
  private pendingChars = 0;
  private paused = false;
  private disposed = false;

  constructor(
    private readonly socket: ConsoleSocket,
    private readonly deps: ConsoleDeps,
  ) {
    socket.conn.on("drain", () => {
      this.pendingChars = 0;
      if (!this.paused) return;
      this.paused = false;
      for (const s of this.sessions.values()) s.link?.resume();
    });
  }

  private send(msg: ServerMessage): void {
    this.socket.emit(realtimeEvent, msg);
  }

  private output(sessionId: string, data: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    if (entry.early) return void entry.early.push(data);
    this.send({ type: "console.output", sessionId, data });
    this.pendingChars += data.length;
    if (!this.paused && this.pendingChars > HIGH_WATER_CHARS) {
      this.paused = true;
      for (const s of this.sessions.values()) s.link?.pause();
    }
  }

  private closed(ref: string, sessionId: string | undefined, reason: ConsoleClosedReason, message: string): void {
    if (!this.disposed) this.send({ type: "console.closed", ref, sessionId, reason, message });
  }

  /** Handles console.open: ticket, access, the host's agent; answers opened or closed. */
  async open(msg: OpenMessage): Promise<void> {
    if (this.sessions.size + this.opening >= MAX_CONSOLES_PER_SOCKET) {
      return this.closed(msg.ref, undefined, "refused", `At most ${MAX_CONSOLES_PER_SOCKET} consoles can be open in one window.`);
    }
    this.opening++;
    try {
      await this.openCounted(msg);
    } catch (error) {
      // Never let a failed open become an unhandled rejection of the panel process.
      console.error("console open crashed", error);
      this.closed(msg.ref, undefined, "refused", "The console could not be opened.");
    } finally {
      this.opening--;
    }
  }

  private async openCounted(msg: OpenMessage): Promise<void> {
    let redeemed;
    // Read alongside the redeem; a failed read falls back to the default rather than failing the open.
    const idle = this.deps.idleMinutes().catch(() => DEFAULT_CONSOLE_IDLE_MINUTES);
    try {
      redeemed = await this.deps.redeem(msg.ticket);
    } catch (error) {
      const message = error instanceof AppError ? error.message : "The console could not be opened.";
      if (!(error instanceof AppError)) console.error("console open failed", error);
      return this.closed(msg.ref, undefined, "refused", message);
    }
    const { sessionId } = redeemed;
    if (this.disposed) return void (await this.deps.end(sessionId, { reason: "closed", message: "the browser disconnected" }));
    const entry: Entry = { ref: msg.ref, serverId: redeemed.server.id, link: null, early: [] };
    this.sessions.set(sessionId, entry);
    const idleMinutes = await idle;
    const finish = (reason: ConsoleClosedReason, message: string) => {
      if (!this.sessions.delete(sessionId)) return;
      this.closed(msg.ref, sessionId, reason, message);
      void this.deps.end(sessionId, { reason, message }).catch((e: unknown) => console.error("console end not recorded", e));
    };
    try {
      entry.link = await this.deps.connect(
        redeemed,
        { name: redeemed.server.name, cols: msg.cols, rows: msg.rows, idle: idleMinutes * 60, session: sessionId },
        { onOutput: (data) => this.output(sessionId, data), onEnd: (end: AgentConsoleEnd) => finish(end.reason, end.message) },
      );
    } catch (error) {
      if (!(error instanceof AgentError)) console.error("console stream failed", error);
      return finish("refused", error instanceof AgentError ? agentRefusal(error) : "The console could not be opened.");
    }
    // The socket went away (or the session was closed) while the agent was answering.
    if (this.disposed || !this.sessions.has(sessionId)) return entry.link.close();
    if (this.paused) entry.link.pause();
    this.send({ type: "console.opened", ref: msg.ref, sessionId, hostname: redeemed.server.hostname, idleMinutes });
    const early = entry.early ?? [];
    entry.early = null;
    for (const data of early) this.output(sessionId, data);
  }

  /** Relays typing to the shell. */
  input(sessionId: string, data: string): void {
    if (data) this.sessions.get(sessionId)?.link?.send({ type: "input", data });
  }

  /** Relays a window size change. */
  resize(sessionId: string, cols: number, rows: number): void {
    this.sessions.get(sessionId)?.link?.send({ type: "resize", cols, rows });
  }

  /** Hangs up one console (the agent answers with its end, which closes the session). */
  close(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    if (entry.link) entry.link.close();
    else this.sessions.delete(sessionId);
  }

  /** The ids of the consoles this socket has open (or opening). */
  openSessions(): string[] {
    return [...this.sessions.keys()];
  }

  /** Ends, as `revoked` with the reason shown, every console whose user may no longer have it. */
  async recheck(): Promise<void> {
    for (const [sessionId, entry] of [...this.sessions]) {
      const why = await this.deps.revocation(entry.serverId);
      if (why === null || this.sessions.get(sessionId) !== entry) continue;
      // Taken out first, so the agent's own end of the hung-up shell is not reported twice.
      this.sessions.delete(sessionId);
      this.closed(entry.ref, sessionId, "revoked", why);
      entry.link?.close();
      await this.deps.end(sessionId, { reason: "revoked", message: why });
    }
  }

  /** The socket is gone: hang up every console and record the ends. */
  dispose(): void {
    this.disposed = true;
    for (const [sessionId, entry] of [...this.sessions]) {
      this.sessions.delete(sessionId);
      entry.link?.close();
      void this.deps.end(sessionId, { reason: "closed", message: "the browser disconnected" }).catch((e: unknown) => console.error("console end not recorded", e));
    }
  }
}
