/**
 * A small HTTP and WebSocket proxy in front of the panel for browser tests of its live
 * connection: pages are opened at the proxy's own address (http://127.0.0.1:PORT).
 * `hostHeader` makes it send another Host upstream, as a reverse proxy that does not
 * keep the browser's Host does (the panel then cannot recognise the page's origin as
 * its own); `drop()` cuts every connection through it, as a network drop would, and
 * `refuse(true)` turns new connections away until `refuse(false)`: the panel looks
 * unreachable from the page, while nothing else talking to the panel is touched.
 */
import http from "node:http";
import net from "node:net";

/** A running proxy. */
export interface TestProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:40123. */
  url: string;
  /** socket.io requests (WebSocket upgrades and polls) passed on so far. */
  socketRequests(): number;
  drop(): void;
  refuse(on: boolean): void;
  close(): Promise<void>;
}

/** Starts a proxy to the panel at `target` (an http:// origin). */
export async function startTestProxy(target: string, options: { hostHeader?: string } = {}): Promise<TestProxy> {
  const upstream = new URL(target);
  const port = Number(upstream.port || 80);
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };
  let refusing = false;
  let socketRequests = 0;
  const count = (url: string | undefined) => {
    if (url?.startsWith("/socket.io/")) socketRequests++;
  };
  // Upstream connections are not pooled, so drop() leaves nothing behind that a later request reuses.
  const agent = new http.Agent({ keepAlive: false });

  const server = http.createServer((req, res) => {
    count(req.url);
    const headers = { ...req.headers, host: options.hostHeader ?? req.headers.host };
    const up = http.request({ host: upstream.hostname, port, method: req.method, path: req.url, headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
      answer.pipe(res);
    });
    up.on("socket", track);
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  server.on("connection", (s: net.Socket) => {
    if (refusing) s.destroy();
    else track(s);
  });
  server.on("upgrade", (req, client: net.Socket, head: Buffer) => {
    count(req.url);
    const up = net.connect(port, upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === "host" && options.hostHeader ? options.hostHeader : req.rawHeaders[i + 1]}`);
      }
      up.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) up.write(head);
      client.pipe(up);
      up.pipe(client);
    });
    track(up);
    const end = () => {
      client.destroy();
      up.destroy();
    };
    up.on("error", end);
    client.on("error", end);
    up.on("close", end);
    client.on("close", end);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    socketRequests: () => socketRequests,
    drop() {
      for (const s of sockets) s.destroy();
    },
    refuse(on) {
      refusing = on;
    },
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
