/**
 * The process-wide bus of "this changed" hints for live updates: a job (its state,
 * progress or log) or a server (its state) was written. Producers are the database
 * client's write hook (every panel write, in whatever module graph it runs) and, with
 * PostgreSQL, the LISTEN connection that hears other instances' writes; the consumer is
 * the change hub, which re-reads what changed once and fans it out to the sockets.
 *
 * It lives on globalThis: Next.js bundles the pages and actions into a module graph of
 * their own, apart from the custom server's, and both must reach one bus.
 */

/** What changed: a job or a server; `id` null means "any of that kind" (a bulk write). */
export interface Change {
  kind: "job" | "server";
  id: string | null;
}

/** A listener of the bus. */
export type ChangeListener = (change: Change) => void;

const holder = globalThis as unknown as { __vsChangeListeners?: Set<ChangeListener> };

function listeners(): Set<ChangeListener> {
  holder.__vsChangeListeners ??= new Set();
  return holder.__vsChangeListeners;
}

/** Tells every listener of this process about a change (a listener's failure is its own). */
export function publishChange(change: Change): void {
  for (const listener of listeners()) {
    try {
      listener(change);
    } catch (error) {
      console.error("change listener failed", error);
    }
  }
}

/** Listens to the bus; returns the function that stops listening. */
export function onChange(listener: ChangeListener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}
