/**
 * A few vs-start helpers kept spawned ahead in the daemon: spawning a helper from a Node
 * process of this size blocks the event loop for about 10 ms (fork of a large address
 * space), which would otherwise be half of a start, and a start that arrives while a
 * spawn runs waits for it. So spares are made only when the daemon has been quiet for a
 * moment (no start taken or finished for QUIET_MS), one per quiet period, up to STOCK: a
 * burst of up to STOCK starts (a host's start-on-boot, a customer's restart storm) pays
 * no spawn, and a longer burst spawns inline as without a pool. A spare waits for its
 * spec on fd 3 and ends when the daemon does (EOF). Only the long-lived daemon enables
 * the pool; the CLI spawns per start.
 */
import type { ChildProcess } from "node:child_process";
import { spawnStartHelper } from "../../kernel/launch/start-init";

/** Spares kept at most. */
const STOCK = 8;
/** Quiet time before a spare is spawned. */
const QUIET_MS = 50;

let enabled = false;
const spares: ChildProcess[] = [];
let timer: NodeJS.Timeout | undefined;

function spawnSpare(): void {
  const child = spawnStartHelper();
  const drop = () => {
    const i = spares.indexOf(child);
    if (i >= 0) spares.splice(i, 1);
  };
  child.on("error", drop);
  child.on("exit", drop);
  spares.push(child);
}

/** (Re)arms the quiet timer: any start activity pushes the next spawn back. */
function scheduleRefill(): void {
  if (!enabled) return;
  clearTimeout(timer);
  if (spares.length >= STOCK) return;
  timer = setTimeout(() => {
    timer = undefined;
    if (spares.length < STOCK) spawnSpare();
    scheduleRefill();
  }, QUIET_MS);
  timer.unref();
}

/** Turns the pool on (daemon start): one spare now, the rest as the daemon is quiet. */
export function enableStartHelperPool(): void {
  enabled = true;
  spawnSpare();
  scheduleRefill();
}

/** A waiting helper, or undefined (then startInit spawns one). */
export function takeStartHelper(): ChildProcess | undefined {
  scheduleRefill();
  while (spares.length > 0) {
    const child = spares.shift()!;
    if (child.exitCode === null && child.signalCode === null) return child;
  }
  return undefined;
}

/** Called once an operation that took a helper has answered: refills wait for quiet. */
export function refillStartHelperLater(): void {
  scheduleRefill();
}
