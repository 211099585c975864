/**
 * One console connection on the agent side: frames from the panel to the shell, output
 * back with flow control (the shell is paused while more than a megabyte waits in the
 * socket, so a `cat` of a large file cannot fill the agent's memory when the panel
 * reads slowly), and pings that find a panel that went away without closing.
 */
import type { RawData, WebSocket } from "ws";
import { consolePanelFrame, parseConsoleFrame, type ConsoleAgentFrame } from "@/lib/protocol/console";
import type { ConsoleSession } from "../ops/console/open-console";

const HIGH_WATER = 1 << 20;
const LOW_WATER = 64 << 10;

/** The agent's end of one console WebSocket. */
export class ConsoleRelay {
  private session: ConsoleSession | null = null;
  private paused = false;
  private alive = true;
  private readonly ping: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    pingMs: number,
  ) {
    this.ping = setInterval(() => {
      if (!this.alive) return void this.ws.terminate();
      this.alive = false;
      this.ws.ping();
    }, pingMs);
    ws.on("pong", () => (this.alive = true));
    ws.on("message", (data: RawData, isBinary: boolean) => this.receive(data, isBinary));
    // However the socket ends, the shell ends with it.
    ws.on("close", () => {
      clearInterval(this.ping);
      this.session?.close();
    });
    ws.on("error", () => this.session?.close());
  }

  /** Connects the running shell; frames that arrived before are not expected (the panel waits for `ready`). */
  attach(session: ConsoleSession): void {
    this.session = session;
    if (this.ws.readyState !== this.ws.OPEN) session.close();
  }

  /** Sends a frame, pausing the shell's output while the socket is backed up. */
  send(frame: ConsoleAgentFrame): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify(frame), () => {
      if (this.paused && this.ws.bufferedAmount < LOW_WATER) {
        this.paused = false;
        this.session?.resume();
      }
    });
    if (!this.paused && this.ws.bufferedAmount > HIGH_WATER) {
      this.paused = true;
      this.session?.pause();
    }
  }

  /** Sends the last frame and closes the socket. */
  finish(frame: ConsoleAgentFrame, code = 1000): void {
    clearInterval(this.ping);
    this.send(frame);
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, frame.type === "exit" ? frame.reason : "");
  }

  private receive(data: RawData, isBinary: boolean): void {
    const frame = isBinary ? null : parseConsoleFrame(consolePanelFrame, data.toString());
    if (!frame) {
      this.ws.close(1008, "malformed frame");
      return;
    }
    if (!this.session) return;
    if (frame.type === "input") this.session.write(frame.data);
    else if (frame.type === "resize") this.session.resize(frame.cols, frame.rows);
    else this.session.close();
  }
}
