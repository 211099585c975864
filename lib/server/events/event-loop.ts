/**
 * Runs the outbox in each panel instance: every second, new events are fanned out and
 * due deliveries sent. Several instances share the work through leases on the rows.
 */
import crypto from "node:crypto";
import type { Db } from "@/lib/db/client";
import { dispatchEvents } from "./dispatch-events";
import { sendDueDeliveries } from "./send-deliveries";

/** Starts the loop; returns a stop function. */
export function startEventLoop(db: Db, everyMs = 1000): () => void {
  const runner = `events-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await dispatchEvents(db, runner);
      await sendDueDeliveries(db, runner);
    } catch (error) {
      console.error("event delivery failed", error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  return () => clearInterval(timer);
}
