/**
 * The page's live-connection status: a refusal by the panel (which socket.io does not
 * retry) is shown with its reason and retried with growing waits; a network error is
 * shown while socket.io retries by itself; a connection clears it all. Driven by a
 * stand-in socket with socket.io-client's `active`/`connected`/`connect()` semantics
 * and mocked timers.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { Socket } from "socket.io-client";
import { describeRealtimeError, realtimeStatus, retryRealtimeNow, watchConnection } from "./realtime-status";

class StandInSocket extends EventEmitter {
  active = true;
  connected = false;
  connects = 0;
  disconnects = 0;
  connect(): this {
    this.connects++;
    this.active = true;
    return this;
  }
  disconnect(): this {
    this.disconnects++;
    this.active = false;
    return this;
  }
}

test("reasons are said in words, with the panel's own reason for a refused origin", () => {
  assert.equal(
    describeRealtimeError("forbidden origin: http://x:1 is not an address of this panel"),
    "the panel refused the live connection from this address: http://x:1 is not an address of this panel",
  );
  assert.match(describeRealtimeError("unauthorized"), /session has ended/);
  assert.match(describeRealtimeError("timeout"), /did not answer/);
  assert.match(describeRealtimeError("transport close"), /lost \(transport close\)/);
  assert.match(describeRealtimeError("websocket error"), /cannot reach the panel for live updates \(websocket error\)/);
  assert.match(describeRealtimeError("io server disconnect"), /panel ended the live connection/);
});

test("a refusal is shown and retried with growing waits until the socket connects", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
  const socket = new StandInSocket();
  watchConnection(socket as unknown as Socket);
  assert.equal(realtimeStatus().state, "connecting");

  // A middleware refusal: socket.io-client destroys the socket (not active) and stops.
  socket.active = false;
  socket.emit("connect_error", new Error("forbidden origin: http://a is not an address of this panel"));
  const first = realtimeStatus();
  assert.equal(first.state, "failed");
  assert.match(first.reason ?? "", /refused the live connection from this address: http:\/\/a/);
  assert.ok(first.retryAt !== null && first.retryAt > Date.now());
  const firstWait = first.retryAt - Date.now();
  assert.equal(socket.connects, 0);
  t.mock.timers.tick(firstWait);
  assert.equal(socket.connects, 1, "tried again after the wait");
  assert.equal(realtimeStatus().retryAt, null);

  socket.active = false;
  socket.emit("connect_error", new Error("forbidden origin: http://a is not an address of this panel"));
  const secondWait = realtimeStatus().retryAt! - Date.now();
  assert.ok(secondWait > firstWait, `${secondWait} > ${firstWait}: the wait grows`);

  // "Retry now" does not wait, and the pending retry does not fire a second attempt.
  retryRealtimeNow(socket as unknown as Socket);
  assert.equal(socket.connects, 2);
  t.mock.timers.tick(secondWait);
  assert.equal(socket.connects, 2);

  socket.connected = true;
  socket.emit("connect");
  assert.deepEqual(realtimeStatus(), { state: "connected", reason: null, retryAt: null });
});

test("a lost connection is shown while socket.io reconnects by itself; the panel hanging up is retried here", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: 2_000_000 });
  const socket = new StandInSocket();
  watchConnection(socket as unknown as Socket);
  socket.emit("disconnect", "transport close");
  assert.equal(realtimeStatus().state, "failed");
  assert.equal(realtimeStatus().retryAt, null, "socket.io's own reconnection, nothing scheduled here");
  socket.emit("connect_error", new Error("websocket error"));
  assert.match(realtimeStatus().reason ?? "", /cannot reach the panel/);
  t.mock.timers.tick(60_000);
  assert.equal(socket.connects, 0);

  socket.active = false;
  socket.emit("disconnect", "io server disconnect");
  assert.match(realtimeStatus().reason ?? "", /panel ended the live connection/);
  assert.notEqual(realtimeStatus().retryAt, null);
  t.mock.timers.tick(realtimeStatus().retryAt! - Date.now());
  assert.equal(socket.connects, 1);

  socket.emit("disconnect", "io client disconnect");
  assert.notEqual(realtimeStatus().state, "connected", "a disconnect the page asked for changes nothing");
});
