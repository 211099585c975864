/**
 * The consoles of one socket, with a fake socket, database and agent: an open answers
 * `console.opened` before any output (output the agent sent early waits); input, resize
 * and close reach only this socket's sessions; refusals by the ticket or the agent come
 * back as `console.closed` with the person's message and record the end; a gone socket
 * hangs up every shell; too many consoles are refused; a backed-up socket pauses the
 * agents until it drains; a recheck ends the consoles their user may no longer have.
 */
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { AgentError } from "@/lib/agent-client/agent-error";
import { AppError } from "@/lib/errors";
import type { ConsolePanelFrame } from "@/lib/protocol/console";
import type { ServerMessage } from "@/lib/protocol/realtime";
import type { AgentConsoleHandlers, AgentConsoleLink } from "./agent-console-link";
import { SocketConsoles, type ConsoleDeps } from "./socket-consoles";

interface FakeLink extends AgentConsoleLink {
  sent: ConsolePanelFrame[];
  closed: number;
  paused: boolean;
  handlers: AgentConsoleHandlers;
}

function harness(opts: { refuse?: Error; agentRefuses?: AgentError; earlyOutput?: string; revoked?: Map<string, string> } = {}) {
  const messages: ServerMessage[] = [];
  const conn = new EventEmitter();
  const socket = { emit: (_e: string, m: ServerMessage) => messages.push(m), conn };
  const links: FakeLink[] = [];
  const ends: { sessionId: string; reason: string; message: string }[] = [];
  let n = 0;
  const deps: ConsoleDeps = {
    async redeem(ticket) {
      if (opts.refuse) throw opts.refuse;
      n++;
      // The ticket names the server in these tests.
      return { sessionId: `s${n}`, server: { id: ticket, name: "web1", hostname: "web1.example.test" }, host: { endpoint: "unix:/x", credentialCiphertext: "c", tlsCaPem: null } };
    },
    idleMinutes: async () => 30,
    async connect(_r, query, handlers) {
      assert.equal(query.idle, 1800);
      if (opts.agentRefuses) throw opts.agentRefuses;
      const link: FakeLink = {
        sent: [],
        closed: 0,
        paused: false,
        handlers,
        send: (f) => void link.sent.push(f),
        close: () => {
          link.closed++;
          handlers.onEnd({ reason: "closed", code: 129, message: "the console was closed" });
        },
        pause: () => void (link.paused = true),
        resume: () => void (link.paused = false),
      };
      links.push(link);
      if (opts.earlyOutput) handlers.onOutput(opts.earlyOutput);
      return link;
    },
    async end(sessionId, e) {
      ends.push({ sessionId, ...e });
    },
    revocation: async (serverId) => opts.revoked?.get(serverId) ?? null,
  };
  return { consoles: new SocketConsoles(socket, deps), messages, links, ends, conn };
}

const open = (ref: string, server = "v1") => ({ type: "console.open" as const, ref, ticket: server, cols: 80, rows: 24 });

test("opened comes before any output, and output before it waits", async () => {
  const h = harness({ earlyOutput: "banner" });
  await h.consoles.open(open("a"));
  h.links[0]!.handlers.onOutput("# ");
  assert.deepEqual(h.messages, [
    { type: "console.opened", ref: "a", sessionId: "s1", hostname: "web1.example.test", idleMinutes: 30 },
    { type: "console.output", sessionId: "s1", data: "banner" },
    { type: "console.output", sessionId: "s1", data: "# " },
  ]);
});

test("input, resize and close reach only this socket's sessions", async () => {
  const mine = harness();
  const other = harness();
  await mine.consoles.open(open("a"));
  other.consoles.input("s1", "rm -rf /\r");
  other.consoles.resize("s1", 10, 10);
  other.consoles.close("s1");
  assert.deepEqual(mine.links[0]!.sent, []);
  assert.equal(mine.links[0]!.closed, 0);
  mine.consoles.input("s1", "ls\r");
  mine.consoles.resize("s1", 100, 30);
  assert.deepEqual(mine.links[0]!.sent, [{ type: "input", data: "ls\r" }, { type: "resize", cols: 100, rows: 30 }]);
  mine.consoles.close("s1");
  assert.equal(mine.links[0]!.closed, 1);
  assert.deepEqual(mine.messages.at(-1), { type: "console.closed", ref: "a", sessionId: "s1", reason: "closed", message: "the console was closed" });
  assert.deepEqual(mine.ends, [{ sessionId: "s1", reason: "closed", message: "the console was closed" }]);
  mine.consoles.input("s1", "late\r");
  assert.equal(mine.links[0]!.sent.length, 2, "nothing reaches a closed session");
});

test("refusals come back as console.closed with the person's message", async () => {
  const ticket = harness({ refuse: new AppError("UNAUTHORIZED", "This console ticket is invalid or has expired.") });
  await ticket.consoles.open(open("a"));
  assert.deepEqual(ticket.messages, [{ type: "console.closed", ref: "a", sessionId: undefined, reason: "refused", message: "This console ticket is invalid or has expired." }]);
  assert.equal(ticket.links.length, 0);

  const agent = harness({ agentRefuses: new AgentError("WRONG_STATE", 'vserver "web1" is not running', "r1", 409) });
  await agent.consoles.open(open("b"));
  assert.deepEqual(agent.messages, [{ type: "console.closed", ref: "b", sessionId: "s1", reason: "refused", message: "The server is not running." }]);
  assert.deepEqual(agent.ends, [{ sessionId: "s1", reason: "refused", message: "The server is not running." }], "the redeemed session is ended");
});

test("a gone socket hangs up every shell and records the ends", async () => {
  const h = harness();
  await h.consoles.open(open("a"));
  await h.consoles.open(open("b"));
  const before = h.messages.length;
  h.consoles.dispose();
  assert.deepEqual(h.links.map((l) => l.closed), [1, 1]);
  assert.deepEqual(h.ends.map((e) => [e.sessionId, e.message]), [["s1", "the browser disconnected"], ["s2", "the browser disconnected"]]);
  assert.equal(h.messages.length, before, "nothing is sent to a gone socket");
});

test("more than eight consoles in one window are refused", async () => {
  const h = harness();
  for (let i = 0; i < 8; i++) await h.consoles.open(open(`r${i}`));
  await h.consoles.open(open("r8"));
  assert.deepEqual(h.messages.at(-1), { type: "console.closed", ref: "r8", sessionId: undefined, reason: "refused", message: "At most 8 consoles can be open in one window." });
  assert.equal(h.links.length, 8);
});

test("a backed-up socket pauses the agents until it drains", async () => {
  const h = harness();
  await h.consoles.open(open("a"));
  const link = h.links[0]!;
  const chunk = "x".repeat(64 * 1024);
  for (let i = 0; i < 16; i++) link.handlers.onOutput(chunk);
  assert.equal(link.paused, false);
  link.handlers.onOutput(chunk);
  assert.equal(link.paused, true);
  h.conn.emit("drain");
  assert.equal(link.paused, false);
});

test("a recheck ends, as revoked, only the consoles whose user may no longer have them", async () => {
  const revoked = new Map<string, string>();
  const h = harness({ revoked });
  await h.consoles.open(open("a", "v1"));
  await h.consoles.open(open("b", "v2"));
  await h.consoles.recheck();
  assert.deepEqual(h.links.map((l) => l.closed), [0, 0], "nothing revoked yet");
  revoked.set("v2", "The customer has not allowed support consoles on this server.");
  await h.consoles.recheck();
  assert.deepEqual(h.links.map((l) => l.closed), [0, 1]);
  assert.deepEqual(h.consoles.openSessions(), ["s1"]);
  assert.deepEqual(h.messages.at(-1), { type: "console.closed", ref: "b", sessionId: "s2", reason: "revoked", message: "The customer has not allowed support consoles on this server." });
  assert.deepEqual(h.ends, [{ sessionId: "s2", reason: "revoked", message: "The customer has not allowed support consoles on this server." }], "ended once, as revoked (not as the agent's hang-up)");
  h.consoles.input("s2", "ls\r");
  assert.deepEqual(h.links[1]!.sent, [], "nothing reaches a revoked console");
});
