/**
 * Where the agent listens: a unix socket by default (mode 0660: root and the socket's
 * group, e.g. the panel's user), or `AGENT_LISTEN=HOST:PORT` with TLS
 * (`AGENT_TLS_CERT`, `AGENT_TLS_KEY`) for a panel on another machine. Plain TCP is only
 * allowed on loopback.
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";

/** A parsed listen address. */
export type ListenSpec =
  | { kind: "unix"; path: string }
  | { kind: "tcp"; host: string; port: number; tls?: { cert: string; key: string } };

/** True when `HOST:PORT` names this machine's loopback 127.0.0.1 / ::1 / localhost (plain TCP allowed). */
export function isLoopbackListen(listen: string): boolean {
  const host = listen.replace(/:\d{1,5}$/, "").replace(/^\[|\]$/g, "");
  return ["127.0.0.1", "::1", "localhost"].includes(host);
}

/** Reads the listen spec from the environment. */
export function listenSpec(defaultSocket: string, env: NodeJS.ProcessEnv = process.env): ListenSpec {
  const listen = env.AGENT_LISTEN?.trim();
  if (!listen || listen.startsWith("unix:")) return { kind: "unix", path: listen ? listen.slice(5) : defaultSocket };
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(listen);
  if (!m) throw new Error(`AGENT_LISTEN must be unix:/path or HOST:PORT, got "${listen}"`);
  const host = m[1]!.replace(/^\[|\]$/g, "");
  const port = Number(m[2]);
  const cert = env.AGENT_TLS_CERT;
  const key = env.AGENT_TLS_KEY;
  if (cert && key) return { kind: "tcp", host, port, tls: { cert: fs.readFileSync(cert, "utf8"), key: fs.readFileSync(key, "utf8") } };
  if (!isLoopbackListen(listen)) {
    throw new Error("AGENT_LISTEN on a non-loopback address needs AGENT_TLS_CERT and AGENT_TLS_KEY");
  }
  return { kind: "tcp", host, port };
}

/** Removes a stale socket file left by a crashed agent (only if nobody answers on it). */
async function clearStaleSocket(socketPath: string): Promise<void> {
  if (!fs.existsSync(socketPath)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const c = net.connect(socketPath, () => {
      c.end();
      resolve(true);
    });
    c.on("error", () => resolve(false));
  });
  if (alive) throw new Error(`another agent is already listening on ${socketPath}`);
  fs.unlinkSync(socketPath);
}

/** Starts listening; returns the server that actually listens (TLS wraps the handler). */
export async function listen(server: http.Server, spec: ListenSpec): Promise<http.Server | https.Server> {
  let target: http.Server | https.Server = server;
  if (spec.kind === "tcp" && spec.tls) {
    const handler = server.listeners("request")[0] as http.RequestListener;
    target = https.createServer({ cert: spec.tls.cert, key: spec.tls.key, minVersion: "TLSv1.2" }, handler);
  }
  if (spec.kind === "unix") {
    fs.mkdirSync(path.dirname(spec.path), { recursive: true, mode: 0o755 });
    await clearStaleSocket(spec.path);
  }
  await new Promise<void>((resolve, reject) => {
    target.once("error", reject);
    if (spec.kind === "unix") target.listen(spec.path, () => resolve());
    else target.listen(spec.port, spec.host, () => resolve());
  });
  if (spec.kind === "unix") {
    fs.chmodSync(spec.path, 0o660);
    // The panel runs as its own user in production; members of this group may connect.
    const group = process.env.AGENT_SOCKET_GROUP?.trim();
    if (group) fs.chownSync(spec.path, 0, groupId(group));
  }
  return target;
}

/** The gid of a group name (or a numeric gid), from /etc/group. */
function groupId(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  const line = fs
    .readFileSync("/etc/group", "utf8")
    .split("\n")
    .find((l) => l.split(":")[0] === group);
  const gid = line?.split(":")[2];
  if (gid === undefined) throw new Error(`AGENT_SOCKET_GROUP: no group named "${group}"`);
  return Number(gid);
}
