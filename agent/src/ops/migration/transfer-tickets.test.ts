/** Transfer tickets open one transfer of one server, with the right secret, before the expiry. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { HostPaths } from "../../config/paths";
import { claimTicket, offerTicket } from "./transfer-tickets";

const paths: HostPaths = { confDir: "/nonexistent/etc", rootDir: "/nonexistent/root", runDir: `/nonexistent/run-${process.pid}` };
const ticket = (id: string, expiresAt: number) => ({ id, secret: "s".repeat(43), serverName: "web1", sourceHostId: "a", targetHostId: "b", expiresAt: new Date(expiresAt).toISOString() });

test("a ticket is claimed once, for its own server, with its secret, before it expires", () => {
  const now = Date.now();
  offerTicket(paths, ticket("1".repeat(32), now + 60_000), now);
  assert.equal(claimTicket(paths, "1".repeat(32), "t".repeat(43), "web1", now)?.status, 401, "a wrong secret");
  assert.equal(claimTicket(paths, "2".repeat(32), "s".repeat(43), "web1", now)?.status, 401, "an unknown ticket");
  assert.equal(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web2", now)?.status, 403, "another server");
  assert.equal(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", now + 61_000)?.status, 410, "after its expiry");
  assert.equal(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", now), null, "granted");
  assert.equal(claimTicket(paths, "1".repeat(32), "s".repeat(43), "web1", now)?.status, 409, "the second time");
});

test("tickets of one agent's host are not another's (several agents in one process in tests)", () => {
  const now = Date.now();
  offerTicket(paths, ticket("3".repeat(32), now + 60_000), now);
  assert.equal(claimTicket({ ...paths, runDir: "/nonexistent/other" }, "3".repeat(32), "s".repeat(43), "web1", now)?.status, 401);
});
