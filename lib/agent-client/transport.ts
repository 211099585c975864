/**
 * One JSON request to an agent over a unix socket, loopback HTTP or HTTPS.
 * Node's http module is used directly because fetch cannot speak to a unix socket.
 */
import http from "node:http";
import https from "node:https";
import type { AgentEndpoint } from "./endpoint";

/** A raw agent answer: status and parsed JSON body (or undefined when not JSON). */
export interface RawAnswer {
  status: number;
  body: unknown;
}

/** TLS settings for https endpoints. */
export interface TlsOptions {
  /** PEM of the CA (or the agent's self-signed certificate) to trust. */
  ca?: string;
}

/** Connection pools per endpoint: keep-alive saves a TLS handshake per call to remote agents. */
const pools = new Map<string, http.Agent>();

function poolFor(endpoint: AgentEndpoint): http.Agent {
  const key = endpoint.kind === "unix" ? `unix:${endpoint.socketPath}` : `${endpoint.kind}://${endpoint.host}:${endpoint.port}`;
  let pool = pools.get(key);
  if (!pool) {
    const options = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 16, scheduling: "lifo" as const };
    pool = endpoint.kind === "https" ? new https.Agent(options) : new http.Agent(options);
    pools.set(key, pool);
  }
  return pool;
}

/** Sends `body` as JSON with POST (or GET when body is undefined) and reads the JSON answer. */
export async function sendJson(
  endpoint: AgentEndpoint,
  path: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  tls: TlsOptions = {},
): Promise<RawAnswer> {
  try {
    return await sendOnce(endpoint, path, headers, body, timeoutMs, tls);
  } catch (error) {
    // A kept-alive connection the agent closed while idle fails before the agent read the
    // request (Node marks it reusedSocket): sending again on a fresh connection is safe.
    if ((error as { reusedSocket?: boolean }).reusedSocket) return sendOnce(endpoint, path, headers, body, timeoutMs, tls);
    throw error;
  }
}

function sendOnce(endpoint: AgentEndpoint, path: string, headers: Record<string, string>, body: unknown, timeoutMs: number, tls: TlsOptions): Promise<RawAnswer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const options: http.RequestOptions = {
    method: payload ? "POST" : "GET",
    path,
    headers: { ...headers, accept: "application/json", ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}) },
    timeout: timeoutMs,
    agent: poolFor(endpoint),
  };
  if (endpoint.kind === "unix") options.socketPath = endpoint.socketPath;
  else Object.assign(options, { host: endpoint.host, port: endpoint.port });
  const lib = endpoint.kind === "https" ? https : http;
  if (endpoint.kind === "https" && tls.ca) Object.assign(options, { ca: tls.ca });

  return new Promise((resolve, reject) => {
    const req = lib.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`agent did not answer within ${timeoutMs} ms`)));
    req.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      if (req.reusedSocket && ["ECONNRESET", "EPIPE"].includes(code)) Object.assign(error, { reusedSocket: true });
      reject(error);
    });
    req.end(payload);
  });
}
