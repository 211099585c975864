/**
 * The one Prisma client of a process, for SQLite or PostgreSQL by `DATABASE_URL`.
 * Both generated clients come from the same schema, so they have the same model API;
 * the SQLite client's type stands for both.
 */
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/generated/prisma/sqlite/client";
import { PrismaClient as PgClient } from "@/generated/prisma/postgresql/client";
import { withChangeHook } from "@/lib/realtime/changes/change-hook";
import { databaseTarget, type DatabaseTarget } from "./url";

/** The panel's database client type. */
export type Db = SqliteClient;

const globalForDb = globalThis as unknown as { __vserverPanelDb?: Db };

/**
 * Creates a new client for a target; callers own it and must `$disconnect()`. Its writes
 * of jobs and servers are told to live views (lib/realtime/changes/change-hook.ts).
 */
export function createDb(target: DatabaseTarget = databaseTarget()): Db {
  if (target.provider === "sqlite") {
    fs.mkdirSync(path.dirname(target.file), { recursive: true });
    return withChangeHook(new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.file }) }));
  }
  return withChangeHook(new PgClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as Db);
}

/** The process-wide client (kept across hot reloads in development). */
export function db(): Db {
  globalForDb.__vserverPanelDb ??= createDb();
  return globalForDb.__vserverPanelDb;
}
