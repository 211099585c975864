/**
 * Sends fuzz requests to an agent's unix socket exactly as given (method, headers,
 * body bytes, no client-side validation), and raw bytes for malformed HTTP. Every
 * outcome is returned, never thrown: no answer is a result the test judges.
 */
import http from "node:http";
import net from "node:net";

/** What came back. */
export type Answer = { status: number; body: string; headers: http.IncomingHttpHeaders } | { error: string };

/** Sends one request; `timeoutMs` bounds the whole exchange. */
export function sendRequest(
  socketPath: string,
  agent: http.Agent,
  req: { method: string; path: string; headers: Record<string, string>; body?: string },
  timeoutMs = 15_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    const payload = req.body === undefined ? undefined : Buffer.from(req.body, "utf8");
    const r = http.request(
      {
        socketPath,
        agent,
        method: req.method,
        path: req.path,
        headers: { ...req.headers, ...(payload ? { "content-length": String(payload.length) } : {}) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
        res.on("error", (e) => done({ error: `response: ${e.message}` }));
      },
    );
    r.on("timeout", () => {
      r.destroy();
      done({ error: `no answer within ${timeoutMs} ms` });
    });
    // A write error after the answer arrived (the agent closed an oversized upload) is
    // no failure: the answer already settled the exchange.
    r.on("error", (e) => done({ error: `request: ${e.message}` }));
    r.end(payload);
  });
}

/** Writes raw bytes and reads until the agent closes or `timeoutMs`; returns the status line's code, if any. */
export function sendRaw(socketPath: string, bytes: string, timeoutMs = 5_000): Promise<{ status: number | null; text: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(socketPath);
    const finish = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : null, text });
    };
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.on("data", (c: Buffer) => {
      chunks.push(c);
      // A complete answer on a connection kept open ends the exchange too.
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && length && text.length >= end + 4 + Number(length[1])) sock.destroy();
    });
    sock.on("error", () => undefined);
    sock.on("close", () => {
      clearTimeout(timer);
      finish();
    });
    sock.on("connect", () => sock.write(bytes, "latin1"));
  });
}
