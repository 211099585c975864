/**
 * A client of rrdcached's line protocol over its unix socket: one connection, commands
 * answered in order ("N message" then N lines; N < 0 is an error). The agent speaks it
 * directly — updates in one BATCH per sample, FETCH for graphs, CREATE and FORGET — so
 * no rrdtool process is spawned on any path.
 */
import net from "node:net";
import { AgentFailure } from "../../errors";

/** One answer: the status number, its message, and the lines that followed. */
export interface RrdAnswer {
  status: number;
  message: string;
  lines: string[];
}

/** Text that may go into one protocol line: no line breaks, no NUL. */
function checkLine(line: string): string {
  if (/[\r\n\0]/.test(line)) throw new AgentFailure("BAD_REQUEST", "rrdcached command contains a line break");
  return line;
}

/** A connection to one rrdcached. */
export class RrdcachedClient {
  private socket: net.Socket | null = null;
  private buffered = "";
  private lines: string[] = [];
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly socketPath: string) {}

  private async connect(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed && !this.failure) return this.socket;
    this.buffered = "";
    this.lines = [];
    this.failure = null;
    const socket = net.createConnection(this.socketPath);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf("\n")) >= 0) {
        this.lines.push(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.wake();
    });
    const fail = (error: Error) => {
      this.failure = error;
      this.wake();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("rrdcached closed the connection")));
    this.socket = socket;
    return socket;
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private async nextLine(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.failure) throw this.failure;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`rrdcached did not answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.lines.shift()!;
  }

  private async readAnswer(timeoutMs: number): Promise<RrdAnswer> {
    const head = await this.nextLine(timeoutMs);
    const space = head.indexOf(" ");
    const status = Number(space < 0 ? head : head.slice(0, space));
    if (!Number.isInteger(status)) throw new Error(`rrdcached sent an unreadable answer: ${head.slice(0, 100)}`);
    const lines: string[] = [];
    for (let i = 0; i < status; i++) lines.push(await this.nextLine(timeoutMs));
    return { status, message: space < 0 ? "" : head.slice(space + 1), lines };
  }

  /** Runs `fn` after every earlier command (one conversation at a time on the socket). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Sends one command and reads its answer (a negative status is returned, not thrown). */
  command(line: string, timeoutMs = 10_000): Promise<RrdAnswer> {
    checkLine(line);
    return this.serial(async () => {
      try {
        const socket = await this.connect();
        socket.write(`${line}\n`);
        return await this.readAnswer(timeoutMs);
      } catch (error) {
        this.close();
        throw error;
      }
    });
  }

  /** Sends many commands in one BATCH; resolves to the error lines (empty: all applied). */
  batch(commands: string[], timeoutMs = 10_000): Promise<string[]> {
    for (const c of commands) checkLine(c);
    return this.serial(async () => {
      try {
        const socket = await this.connect();
        socket.write("BATCH\n");
        const go = await this.readAnswer(timeoutMs);
        if (go.status !== 0) throw new Error(`rrdcached refused BATCH: ${go.message}`);
        socket.write(`${commands.join("\n")}\n.\n`);
        const done = await this.readAnswer(timeoutMs);
        return done.lines;
      } catch (error) {
        this.close();
        throw error;
      }
    });
  }

  /** Closes the connection (the next command opens a new one). */
  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
