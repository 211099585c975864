/**
 * `npm run db:make-migration -- NAME`: writes the next migration for SQLite and
 * PostgreSQL from the change between the schema at the last migration and
 * prisma/schema.prisma now. Each SQLite migration keeps a copy of the schema it was made
 * from (`schema.prisma` beside `migration.sql`) so the next diff needs no database.
 */
import fs from "node:fs";
import path from "node:path";
import { diffSchemas, openEngine } from "./schema-engine";
import { migrationsDir, readSchemaSource, schemaFor, type Provider } from "./schemas";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:make-migration -- <name in snake_case>");
  process.exit(2);
}

const existing = fs.existsSync(migrationsDir.sqlite)
  ? fs.readdirSync(migrationsDir.sqlite).filter((d) => /^\d{14}_/.test(d)).sort()
  : [];
const last = existing.at(-1);
const previous = last ? fs.readFileSync(path.join(migrationsDir.sqlite, last, "schema.prisma"), "utf8") : null;
const current = readSchemaSource();
if (previous === current) {
  console.log("schema unchanged since", last, "- nothing to do");
  process.exit(0);
}

const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const id = `${stamp}_${name}`;
for (const provider of ["sqlite", "postgresql"] as Provider[]) {
  const engine = await openEngine(schemaFor(provider, current));
  const sql = await diffSchemas(engine, previous === null ? null : schemaFor(provider, previous), schemaFor(provider, current));
  const dir = path.join(migrationsDir[provider], id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  const lock = path.join(migrationsDir[provider], "migration_lock.toml");
  fs.writeFileSync(lock, `# Written by scripts/db/make-migration.ts\nprovider = "${provider}"\n`);
  console.log(`${provider}: ${path.relative(process.cwd(), dir)}/migration.sql`);
}
fs.writeFileSync(path.join(migrationsDir.sqlite, id, "schema.prisma"), current);
