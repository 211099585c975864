/**
 * Reads the migration files of a provider: `<dir>/<id>/migration.sql`, in id order.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./url";

/** One migration on disk. */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Where each provider's migrations live (Prisma's layout). */
export const migrationDirs = {
  sqlite: path.join(repoRoot, "prisma", "migrations"),
  postgresql: path.join(repoRoot, "prisma", "postgresql", "migrations"),
} as const;

/** Lists the migrations of a provider, oldest first. */
export function readMigrations(provider: keyof typeof migrationDirs): MigrationFile[] {
  const dir = migrationDirs[provider];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}
