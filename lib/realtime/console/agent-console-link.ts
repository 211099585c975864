/**
 * The panel's end of one console stream to an agent (lib/protocol/console.ts): a
 * WebSocket to `/v1/console` on the host's endpoint (unix socket, loopback or TLS with
 * the host's pinned certificate), authenticated with the host credential. It resolves
 * once the agent said `ready`; a refusal before the upgrade becomes the agent's own
 * AgentError (404 unknown server, 409 stopped, …).
 */
import crypto from "node:crypto";
import WebSocket from "ws";
import { AgentError } from "@/lib/agent-client/agent-error";
import { parseEndpoint } from "@/lib/agent-client/endpoint";
import { agentErrorBody } from "@/lib/protocol";
import { consoleAgentFrame, consoleUpgradePath, parseConsoleFrame, type ConsoleEndReason, type ConsoleOpenQuery, type ConsolePanelFrame } from "@/lib/protocol/console";
import { unreachableMessage } from "@/lib/agent-client/unreachable-message";

/** How to reach one agent. */
export interface AgentConsoleTarget {
  endpoint: string;
  credential: string;
  /** PEM the agent's TLS certificate must chain to (https endpoints). */
  tlsCaPem?: string | null;
}

/** How the stream ended: the agent's reason, or `lost` when the connection broke without one. */
export interface AgentConsoleEnd {
  reason: ConsoleEndReason | "lost";
  code: number | null;
  message: string;
}

/** What the link reports. */
export interface AgentConsoleHandlers {
  onOutput(data: string): void;
  onEnd(end: AgentConsoleEnd): void;
}

/** An open console stream. */
export interface AgentConsoleLink {
  send(frame: ConsolePanelFrame): void;
  /** Asks the agent to hang up; the socket is cut after a grace period if it does not. */
  close(): void;
  /** Stops reading from the agent (TCP backpressure pauses the shell); {@link resume} continues. */
  pause(): void;
  resume(): void;
}

function urlFor(endpoint: string, path: string): { url: string; secure: boolean } {
  const e = parseEndpoint(endpoint);
  if (e.kind === "unix") return { url: `ws+unix:${e.socketPath}:${path}`, secure: false };
  const host = e.host.includes(":") && !e.host.startsWith("[") ? `[${e.host}]` : e.host;
  return { url: `${e.kind === "https" ? "wss" : "ws"}://${host}:${e.port}${path}`, secure: e.kind === "https" };
}

function readBody(res: import("node:http").IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (c: string) => (text = (text + c).slice(0, 65536)));
    res.on("end", () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
    res.on("error", () => resolve(undefined));
  });
}

/** Opens a console on the agent; resolves when the shell is starting. */
export function openAgentConsole(target: AgentConsoleTarget, query: ConsoleOpenQuery, handlers: AgentConsoleHandlers, timeoutMs = 15_000): Promise<AgentConsoleLink> {
  const requestId = crypto.randomUUID();
  const { url, secure } = urlFor(target.endpoint, consoleUpgradePath(query));
  const ws = new WebSocket(url, {
    headers: { authorization: `Bearer ${target.credential}`, "x-request-id": requestId },
    perMessageDeflate: false,
    handshakeTimeout: timeoutMs,
    maxPayload: 8 << 20,
    ...(secure && target.tlsCaPem ? { ca: target.tlsCaPem } : {}),
  });
  return new Promise((resolve, reject) => {
    let ready = false;
    let ended = false;
    let cut: NodeJS.Timeout | undefined;
    const fail = (error: AgentError) => {
      if (ready) return;
      ready = true;
      ended = true;
      reject(error);
    };
    const end = (e: AgentConsoleEnd) => {
      if (ended) return;
      ended = true;
      clearTimeout(cut);
      handlers.onEnd(e);
    };
    const link: AgentConsoleLink = {
      send(frame) {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
      },
      close() {
        link.send({ type: "close" });
        cut ??= setTimeout(() => ws.terminate(), 5000);
      },
      pause: () => ws.pause(),
      resume: () => ws.resume(),
    };
    ws.on("unexpected-response", (_req, res) => {
      void readBody(res).then((body) => {
        const parsed = agentErrorBody.safeParse(body);
        if (parsed.success) fail(new AgentError(parsed.data.error.code, parsed.data.error.message, parsed.data.error.requestId ?? requestId, res.statusCode ?? 0, parsed.data.error.field));
        else fail(new AgentError("BAD_RESPONSE", `agent answered HTTP ${res.statusCode} to the console upgrade`, requestId, res.statusCode ?? 0));
        ws.terminate();
      });
    });
    ws.on("error", (error) => fail(new AgentError("UNREACHABLE", unreachableMessage(error), requestId, 0)));
    ws.on("message", (data, isBinary) => {
      const frame = isBinary ? null : parseConsoleFrame(consoleAgentFrame, data.toString());
      if (!frame) {
        ws.terminate();
        return;
      }
      if (frame.type === "ready") {
        if (!ready) {
          ready = true;
          resolve(link);
        }
      } else if (frame.type === "output") handlers.onOutput(frame.data);
      else end({ reason: frame.reason, code: frame.code, message: frame.message });
    });
    ws.on("close", () => {
      fail(new AgentError("UNREACHABLE", "the agent closed the console before it was ready", requestId, 0));
      end({ reason: "lost", code: null, message: "the connection to the server's host was lost" });
    });
  });
}
