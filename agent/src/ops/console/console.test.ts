/**
 * Console pieces without a kernel: the /proc/PID/stat parser that finds a console's
 * session (commands with spaces and parentheses), the idle notice, and the wire
 * contract's query and frame checks (nothing but name, size, idle limit and session).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { consoleAgentFrame, consoleOpenQuery, consolePanelFrame, consoleUpgradePath, parseConsoleFrame } from "@/lib/protocol/console";
import { parseStatIds } from "./hang-up-session";
import { idleText } from "./open-console";

test("stat ids survive a command name with spaces and parentheses", () => {
  assert.deepEqual(parseStatIds("4242 (a b) c)) S 4200 4242 4242 34816 4242 4194560 0 0"), { ppid: 4200, session: 4242 });
  assert.deepEqual(parseStatIds("1 (init) S 0 1 1 0 -1 4194560"), { ppid: 0, session: 1 });
  assert.equal(parseStatIds("garbage"), null);
});

test("the idle notice names the limit in words", () => {
  assert.equal(idleText(30 * 60_000), "30 minutes");
  assert.equal(idleText(60_000), "1 minute");
  assert.equal(idleText(1000), "1 second");
  assert.equal(idleText(90_000), "90 seconds");
});

test("the upgrade query round-trips and refuses anything else", () => {
  const q = { name: "web1", cols: 120, rows: 40, idle: 1800, session: "c1x-2_3" };
  const url = new URL(consoleUpgradePath(q), "http://agent");
  assert.equal(url.pathname, "/v1/console");
  assert.deepEqual(consoleOpenQuery.parse(Object.fromEntries(url.searchParams)), q);
  const bad = (over: Record<string, string>) => consoleOpenQuery.safeParse({ ...Object.fromEntries(url.searchParams), ...over }).success;
  assert.equal(bad({ name: "../etc" }), false);
  assert.equal(bad({ cols: "0" }), false);
  assert.equal(bad({ rows: "1001" }), false);
  assert.equal(bad({ cols: "12.5" }), false);
  assert.equal(bad({ idle: "86401" }), false);
  assert.equal(bad({ session: "a b" }), false);
  assert.equal(bad({ argv: "/bin/true" }), false, "no field to name a command");
});

test("frames parse by type and reject unknown or malformed ones", () => {
  assert.deepEqual(parseConsoleFrame(consolePanelFrame, '{"type":"input","data":"ls\\r"}'), { type: "input", data: "ls\r" });
  assert.deepEqual(parseConsoleFrame(consolePanelFrame, '{"type":"resize","cols":80,"rows":24}'), { type: "resize", cols: 80, rows: 24 });
  assert.equal(parseConsoleFrame(consolePanelFrame, '{"type":"exec","argv":["id"]}'), null);
  assert.equal(parseConsoleFrame(consolePanelFrame, '{"type":"input","data":""}'), null);
  assert.equal(parseConsoleFrame(consolePanelFrame, '{"type":"resize","cols":0,"rows":24}'), null);
  assert.equal(parseConsoleFrame(consolePanelFrame, "not json"), null);
  assert.deepEqual(parseConsoleFrame(consoleAgentFrame, '{"type":"exit","reason":"idle","code":null,"message":"no input"}'), { type: "exit", reason: "idle", code: null, message: "no input" });
  assert.equal(parseConsoleFrame(consoleAgentFrame, '{"type":"exit","reason":"why","code":null,"message":""}'), null);
});
