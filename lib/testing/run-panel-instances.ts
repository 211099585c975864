/**
 * Runs race-test calls in several panel instances at once: each instance is its own
 * Node process (panel-instance.ts) with its own database client against the test's
 * DATABASE_URL, started together behind a barrier. Separate processes rather than a
 * second client in this process, so nothing in memory (module state, a client's
 * connection pool, the SQLite adapter's transaction mutex) is shared: only the database
 * is, as between panels in production.
 */
import { fork } from "node:child_process";
import path from "node:path";
import type { CallResult, PanelCall } from "./panel-calls";

const worker = path.join(import.meta.dirname, "panel-instance.ts");

/** Runs `perInstance[i]` in instance i; returns the results in the same shape. */
export async function runPanelInstances(perInstance: PanelCall[][]): Promise<CallResult[][]> {
  const children = perInstance.map(() => fork(worker, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  try {
    const ready = children.map((child) => new Promise<void>((resolve, reject) => {
      child.on("message", (m: { type: string }) => m.type === "ready" && resolve());
      child.once("exit", (code) => reject(new Error(`panel instance exited (${code}) before it was ready`)));
    }));
    const results = children.map((child) => new Promise<CallResult[]>((resolve, reject) => {
      child.on("message", (m: { type: string; results?: CallResult[] }) => m.type === "results" && resolve(m.results!));
      child.once("exit", (code) => reject(new Error(`panel instance exited (${code}) without results`)));
    }));
    for (const p of [...ready, ...results]) p.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    const exited = children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve))));
    children.forEach((child, i) => child.send({ type: "calls", calls: perInstance[i] }));
    await Promise.all(ready);
    for (const child of children) child.send({ type: "go" });
    const out = await Promise.all(results);
    await Promise.all(exited);
    return out;
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}
