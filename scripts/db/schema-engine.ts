/**
 * Loads Prisma's schema engine compiled to WebAssembly (npm @prisma/schema-engine-wasm).
 * The Prisma CLI's own migrate downloads a native engine from the internet, which this
 * network cannot reach; the wasm build runs offline and computes the same SQL diffs.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const require = createRequire(import.meta.url);
let started = false;

function startWasm(): void {
  if (started) return;
  const wasmPath = require.resolve("@prisma/schema-engine-wasm").replace(/schema_engine\.js$/, "schema_engine_bg.wasm");
  const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(wasmModule, {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  started = true;
}

/** PostgreSQL's one-byte `"char"` type (pg_catalog uses it). */
const charOid = 18;
const textOid = 25;

/**
 * A pool whose results report pg_catalog's `"char"` columns as text. The engine's
 * introspection selects such columns and the pg driver adapter has no mapping for that
 * type; the values are plain strings either way.
 */
function catalogFriendlyPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const relabel = <T>(result: T): T => {
    for (const r of Array.isArray(result) ? result : [result]) {
      for (const f of (r as pg.QueryResult | undefined)?.fields ?? []) if (f.dataTypeID === charOid) f.dataTypeID = textOid;
    }
    return result;
  };
  const wrap = (target: { query: (...args: never[]) => unknown }): void => {
    const original = target.query.bind(target) as (...args: unknown[]) => unknown;
    target.query = ((...args: unknown[]) => {
      const out = original(...args);
      return out instanceof Promise ? out.then(relabel) : out;
    }) as never;
  };
  wrap(pool as never);
  pool.on("connect", (client) => wrap(client as never));
  return pool;
}

/** A schema engine bound to one database (or to an in-memory SQLite for pure diffs). */
export type Engine = bg.SchemaEngine;

/**
 * Opens an engine. `url` is a `file:` path or a `postgresql://` URL; an in-memory
 * SQLite is enough for diffs between two schema texts.
 */
export async function openEngine(schemaText: string, url = "file::memory:"): Promise<Engine> {
  startWasm();
  const factory = url.startsWith("postgres")
    ? new PrismaPg(catalogFriendlyPool(url))
    : new PrismaBetterSqlite3({ url: url.replace(/^file:/, "") });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const log = (): void => {};
  return bg.SchemaEngine.new({ datamodels: [["schema.prisma", schemaText]] }, log, adapter);
}

/** The filter that includes everything. */
export const noFilter = { externalTables: [], externalEnums: [] };

/** SQL that turns schema `from` (or an empty database) into schema `to`. */
export async function diffSchemas(engine: Engine, from: string | null, to: string): Promise<string> {
  const result = await engine.diff({
    from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
    to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
    script: true,
    exitCode: null,
    filters: noFilter,
  });
  return result.stdout ?? "";
}
