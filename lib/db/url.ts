/**
 * Which database the panel uses. `DATABASE_URL` picks it: `file:…` is the embedded
 * SQLite (the default, `data/panel.db` under the repository), `postgresql://…` (or
 * `postgres://…`) is PostgreSQL for production.
 */
import path from "node:path";

/** A parsed database location. */
export type DatabaseTarget =
  | { provider: "sqlite"; file: string; url: string }
  | { provider: "postgresql"; url: string };

/**
 * The repository root, where the default `data/` directory lives. Inside the Next
 * bundle `import.meta.dirname` is not the source location, so the root is the working
 * directory (npm runs scripts there) unless `VSP_ROOT` says otherwise.
 */
export const repoRoot = path.resolve(/*turbopackIgnore: true*/ process.env.VSP_ROOT || process.cwd());

/** The default SQLite file. */
export const defaultSqliteFile = path.join(repoRoot, "data", "panel.db");

/** Parses `DATABASE_URL` (or the given string); throws a clear error for anything else. */
export function databaseTarget(raw = process.env.DATABASE_URL): DatabaseTarget {
  const value = raw?.trim() || `file:${defaultSqliteFile}`;
  if (value.startsWith("file:")) {
    const rest = value.slice("file:".length).replace(/^\/\/(?=\/)/, "");
    const file = path.isAbsolute(rest) ? rest : path.resolve(repoRoot, rest);
    return { provider: "sqlite", file, url: `file:${file}` };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { provider: "postgresql", url: value };
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), got "${value.split(":")[0]}:…"`);
}
