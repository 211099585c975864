/**
 * The one schema source (prisma/schema.prisma, written for SQLite) and the PostgreSQL
 * schema derived from it. Two generated clients are needed because a Prisma client is
 * tied to its provider (the pg adapter refuses a client generated for sqlite).
 */
import fs from "node:fs";
import path from "node:path";

/** A database provider the panel supports. */
export type Provider = "sqlite" | "postgresql";

/** Repository root (scripts/db/../..). */
export const repoRoot = path.resolve(import.meta.dirname, "..", "..");

/** Where each provider's migrations live, in Prisma's layout (`<id>/migration.sql`). */
export const migrationsDir: Record<Provider, string> = {
  sqlite: path.join(repoRoot, "prisma", "migrations"),
  postgresql: path.join(repoRoot, "prisma", "postgresql", "migrations"),
};

/** Reads the schema source text. */
export function readSchemaSource(): string {
  return fs.readFileSync(path.join(repoRoot, "prisma", "schema.prisma"), "utf8");
}

/** Returns the schema text for a provider, derived from the SQLite source. */
export function schemaFor(provider: Provider, source = readSchemaSource()): string {
  if (provider === "sqlite") return source;
  const swapped = source
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\.\/generated\/prisma\/sqlite"/, 'output = "../../generated/prisma/postgresql"');
  if (swapped.includes('"sqlite"') || !swapped.includes("generated/prisma/postgresql")) {
    throw new Error("prisma/schema.prisma: could not derive the PostgreSQL schema (provider/output lines changed?)");
  }
  return swapped;
}
