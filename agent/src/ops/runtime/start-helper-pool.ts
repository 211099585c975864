/**
 * One vs-start kept spawned ahead in the daemon: spawning a helper from a Node process
 * of this size costs several milliseconds (fork of a large address space), which is a
 * good part of a start. The spare helper waits for its spec; after each start has
 * answered, the next one is spawned (refillStartHelperLater). Only the long-lived daemon enables it; the CLI
 * spawns per start.
 */
import type { ChildProcess } from "node:child_process";
import { spawnStartHelper } from "../../kernel/launch/start-init";

let enabled = false;
let spare: ChildProcess | undefined;

function refill(): void {
  if (!enabled || spare) return;
  const child = spawnStartHelper();
  child.on("error", () => {
    if (spare === child) spare = undefined;
  });
  child.on("exit", () => {
    if (spare === child) spare = undefined;
  });
  spare = child;
}

/** Turns the pool on (daemon start). */
export function enableStartHelperPool(): void {
  enabled = true;
  refill();
}

/** A waiting helper, or undefined (then startInit spawns one). */
export function takeStartHelper(): ChildProcess | undefined {
  const child = spare;
  spare = undefined;
  return child && child.exitCode === null && child.signalCode === null ? child : undefined;
}

/**
 * Prepares the next helper once the current operation has answered: the spawn blocks
 * the event loop for a few ms (fork), which must not land inside a start.
 */
export function refillStartHelperLater(): void {
  if (enabled) setTimeout(refill, 0);
}
