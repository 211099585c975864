/**
 * How pages, route handlers and server components read: through a loader of lib/server,
 * given the database here, so app/ and components/ never hold a database handle and
 * cannot query around a loader's authorization (a check in lib/import-boundaries.test.ts).
 */
import { db, type Db } from "@/lib/db/client";

/** Runs `loader` with the panel's database and the caller's arguments. */
export function load<A extends unknown[], R>(loader: (db: Db, ...args: A) => R, ...args: A): R {
  return loader(db(), ...args);
}
