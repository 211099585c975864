/**
 * With PostgreSQL, several panel instances share one database: each hears the others'
 * writes through `LISTEN vs_change` (a trigger on Job, JobLogLine and VServer notifies
 * the changed id at commit; see the migration `…_live_update_notify`) and puts them on
 * its own bus. A lost connection is retried with back-off; after it comes back every
 * watched row is read again ("any" change), since notifications sent meanwhile are gone.
 */
import pg from "pg";
import { publishChange, type Change } from "./change-bus";

/** The notification channel the trigger uses. */
export const changeChannel = "vs_change";

/** Parses a notification's payload (`job:ID` or `server:ID`); null for anything else. */
export function changeOfPayload(payload: string | undefined): Change | null {
  const m = /^(job|server):([A-Za-z0-9_-]{1,64})$/.exec(payload ?? "");
  return m ? { kind: m[1] as Change["kind"], id: m[2]! } : null;
}

/** Listens until the returned stop function is called. */
export function listenForChanges(connectionString: string): () => void {
  let stopped = false;
  let client: pg.Client | null = null;
  let delay = 500;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    client = c;
    c.on("notification", (n) => {
      const change = changeOfPayload(n.payload);
      if (change) publishChange(change);
    });
    c.on("error", () => undefined);
    c.on("end", () => {
      if (client === c) client = null;
      if (!stopped) schedule();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${changeChannel}`);
      delay = 500;
      // Whatever was notified while we were away is lost: read every watched row again.
      publishChange({ kind: "job", id: null });
      publishChange({ kind: "server", id: null });
    } catch (error) {
      console.error(`live updates: cannot listen on PostgreSQL (${(error as Error).message}); retrying`);
      await c.end().catch(() => undefined);
      schedule();
    }
  };

  const schedule = (): void => {
    if (retry || stopped) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 30_000);
  };

  void connect();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    void client?.end().catch(() => undefined);
  };
}
