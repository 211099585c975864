/**
 * The panel process's one change hub (and, with PostgreSQL, its one LISTEN connection),
 * made on first use by the socket server.
 */
import type { Db } from "@/lib/db/client";
import { databaseTarget, type DatabaseTarget } from "@/lib/db/url";
import { ChangeHub } from "./change-hub";
import { listenForChanges } from "./pg-change-listener";

const holder = globalThis as unknown as { __vsChangeHub?: ChangeHub };

/** The hub of this process. */
export function processChangeHub(db: Db, target: DatabaseTarget = databaseTarget()): ChangeHub {
  if (!holder.__vsChangeHub) {
    holder.__vsChangeHub = new ChangeHub(db);
    if (target.provider === "postgresql") listenForChanges(target.url);
  }
  return holder.__vsChangeHub;
}
