/**
 * Live sockets end with their session: every few seconds the sessions behind all
 * connected sockets are re-checked (two queries for all of them), and a socket whose
 * session was revoked (password change, suspension, sign out everywhere, lifetime) is
 * disconnected. The handshake already refuses such a session; this covers sockets that
 * were open when it happened.
 */
import type { Server } from "socket.io";
import type { Db } from "@/lib/db/client";
import { liveSessions, type SessionClaims } from "@/lib/auth/session-state";

/** How often connected sockets' sessions are re-checked. */
export const sessionSweepMs = 5_000;

/** Starts the sweep; returns a stop function. */
export function guardSocketSessions(io: Server, db: Db, everyMs = sessionSweepMs): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void (async () => {
      try {
        const sockets = [...io.of("/").sockets.values()];
        if (sockets.length === 0) return;
        const verdicts = await liveSessions(db, sockets.map((s) => (s.data.claims ?? {}) as SessionClaims));
        sockets.forEach((s, i) => {
          const live = verdicts[i];
          if (!live || live.twoFactor !== "ok") s.disconnect(true);
        });
      } catch (error) {
        console.error("socket session sweep failed", error);
      } finally {
        running = false;
      }
    })();
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
