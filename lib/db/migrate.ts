/**
 * The project's own migrate step: applies `prisma/migrations/<id>/migration.sql` (SQLite) or
 * `prisma/postgresql/migrations/<id>/migration.sql` in
 * order, each in one transaction, and records it in Prisma's `_prisma_migrations` table
 * (same columns, so Prisma's tools would recognize the history). A migration whose file
 * changed after it was applied stops the run: history is never rewritten silently.
 */
import Database from "better-sqlite3";
import pg from "pg";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { readMigrations, type MigrationFile } from "./migrations";
import { databaseTarget, type DatabaseTarget } from "./url";

/** What a migrate run did. */
export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

const historyDdl = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

function checkHistory(files: MigrationFile[], applied: Map<string, string>): MigrationFile[] {
  for (const [name, checksum] of applied) {
    const file = files.find((f) => f.name === name);
    if (!file) throw new Error(`migration ${name} is recorded in the database but missing from prisma/ (newer code ran here?)`);
    if (file.checksum !== checksum) throw new Error(`migration ${name} was changed after it was applied; add a new migration instead`);
  }
  return files.filter((f) => !applied.has(f.name));
}

function migrateSqlite(file: string): MigrateResult {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const conn = new Database(file);
  try {
    conn.pragma("journal_mode = WAL");
    conn.pragma("foreign_keys = ON");
    conn.exec(historyDdl.sqlite);
    const files = readMigrations("sqlite");
    const rows = conn
      .prepare(`SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .all() as { migration_name: string; checksum: string }[];
    const pending = checkHistory(files, new Map(rows.map((r) => [r.migration_name, r.checksum])));
    for (const m of pending) {
      // Foreign keys are checked at the end: Prisma's SQLite table redefinitions need that.
      conn.pragma("foreign_keys = OFF");
      conn.transaction(() => {
        conn.exec(m.sql);
        const violations = conn.pragma("foreign_key_check") as unknown[];
        if (violations.length > 0) throw new Error(`migration ${m.name} leaves ${violations.length} foreign key violations`);
        conn
          .prepare(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, current_timestamp, ?, 1)`)
          .run(crypto.randomUUID(), m.checksum, m.name);
      }).immediate();
      conn.pragma("foreign_keys = ON");
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  } finally {
    conn.close();
  }
}

async function migratePostgres(url: string): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time, also across several panel instances starting together.
    await client.query("SELECT pg_advisory_lock(72707369)");
    await client.query(historyDdl.postgresql);
    const files = readMigrations("postgresql");
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const pending = checkHistory(files, new Map(rows.map((r) => [r.migration_name, r.checksum])));
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock(72707369)").catch(() => undefined);
    await client.end();
  }
}

/** Applies every pending migration to the target database. */
export async function migrate(target: DatabaseTarget = databaseTarget()): Promise<MigrateResult> {
  return target.provider === "sqlite" ? migrateSqlite(target.file) : migratePostgres(target.url);
}
