/** Transfer tickets open one transfer of one server, with the right secret, before the expiry; a cut one may be resumed. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { HostPaths } from "../../config/paths";
import { claimTicket, completeTicket, offerTicket } from "./transfer-tickets";

const paths: HostPaths = { confDir: "/nonexistent/etc", rootDir: "/nonexistent/root", runDir: `/nonexistent/run-${process.pid}` };
const ticket = (id: string, expiresAt: number) => ({ id, secret: "s".repeat(43), serverName: "web1", sourceHostId: "a", targetHostId: "b", expiresAt: new Date(expiresAt).toISOString() });

test("a ticket is claimed once, for its own server, with its secret, before it expires", () => {
  const now = Date.now();
  offerTicket(paths, ticket("1".repeat(32), now + 60_000), now);
  const status = (r: ReturnType<typeof claimTicket>) => (typeof r === "string" ? r : r.status);
  assert.equal(status(claimTicket(paths, "1".repeat(32), "t".repeat(43), "web1", { now })), 401, "a wrong secret");
  assert.equal(status(claimTicket(paths, "2".repeat(32), "s".repeat(43), "web1", { now })), 401, "an unknown ticket");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web2", { now })), 403, "another server");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", { now: now + 61_000 })), 410, "after its expiry");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", { now })), "first", "granted");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", { now })), 409, "the second time");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", { now, resume: true })), "resume", "the rest of its transfer may be asked for");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "t".repeat(43), "web1", { now, resume: true })), 401, "not without the secret");
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", { now: now + 61_000, resume: true })), 410, "nor after the expiry");
  completeTicket(paths, "1".repeat(32));
  assert.equal(status(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", { now, resume: true })), 409, "nor once it was sent whole");
});

test("a first request with Range (the target's own first try was lost before it arrived) claims the ticket", () => {
  const now = Date.now();
  offerTicket(paths, ticket("4".repeat(32), now + 60_000), now);
  assert.equal(claimTicket(paths, "4".repeat(32), "s".repeat(43), "web1", { now, resume: true }), "first");
  assert.equal(claimTicket(paths, "4".repeat(32), "s".repeat(43), "web1", { now, resume: true }), "resume");
});

test("tickets of one agent's host are not another's (several agents in one process in tests)", () => {
  const now = Date.now();
  offerTicket(paths, ticket("3".repeat(32), now + 60_000), now);
  const r = claimTicket({ ...paths, runDir: "/nonexistent/other" }, "3".repeat(32), "s".repeat(43), "web1", { now });
  assert.equal(typeof r === "string" ? r : r.status, 401);
});
