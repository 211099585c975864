/**
 * Agent endpoints: `unix:/path/to/agent.sock`, `http://127.0.0.1:PORT` (loopback only)
 * or `https://host:PORT` (an agent listening on a network always uses TLS).
 */

/** Where and how to reach an agent. */
export type AgentEndpoint =
  | { kind: "unix"; socketPath: string }
  | { kind: "http"; host: string; port: number }
  | { kind: "https"; host: string; port: number };

const loopbackHosts = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/** Parses an endpoint string; throws with the reason when it is not acceptable. */
export function parseEndpoint(text: string): AgentEndpoint {
  if (text.startsWith("unix:")) {
    const socketPath = text.slice("unix:".length).replace(/^\/\/(?=\/)/, "");
    if (!socketPath.startsWith("/")) throw new Error("a unix endpoint needs an absolute socket path (unix:/run/vservers/agent.sock)");
    return { kind: "unix", socketPath };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error("endpoint must be unix:/path, http://127.0.0.1:PORT or https://HOST:PORT");
  }
  if (url.pathname !== "/" || url.search || url.username) throw new Error("endpoint must not carry a path, query or user");
  if (url.protocol === "https:") return { kind: "https", host: url.hostname, port: Number(url.port || 443) };
  if (url.protocol === "http:") {
    if (!loopbackHosts.has(url.hostname)) throw new Error("plain http is only allowed on loopback; use https for a remote agent");
    return { kind: "http", host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 80) };
  }
  throw new Error(`unsupported endpoint scheme ${url.protocol}`);
}
