/**
 * Generates the Prisma clients for SQLite and PostgreSQL (generated/prisma/<provider>)
 * when prisma/schema.prisma changed since the last run. `prisma generate` needs no
 * network, but the CLI insists on a schema-engine binary path, hence the env below.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { readSchemaSource, repoRoot, schemaFor, type Provider } from "./schemas";

/** Generates both clients if the schema changed; returns whether it did anything. */
export function generateClients(force = false): boolean {
  const source = readSchemaSource();
  const hash = crypto.createHash("sha256").update(source).digest("hex");
  const stampFile = path.join(repoRoot, "generated", "prisma", ".schema-hash");
  const complete = ["sqlite", "postgresql"].every((p) => fs.existsSync(path.join(repoRoot, "generated", "prisma", p, "client.ts")));
  if (!force && complete && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === hash) return false;

  for (const provider of ["sqlite", "postgresql"] as Provider[]) {
    const schemaDir = path.join(repoRoot, "generated", "prisma-schemas", provider);
    fs.mkdirSync(schemaDir, { recursive: true });
    const schemaPath = path.join(schemaDir, "schema.prisma");
    // The derived schema sits two levels below the root, like prisma/postgresql/, so the
    // relative output path in the source works for both.
    fs.writeFileSync(schemaPath, provider === "sqlite" ? source.replace('"../generated/prisma/sqlite"', '"../../prisma/sqlite"') : schemaFor(provider, source).replace('"../../generated/prisma/postgresql"', '"../../prisma/postgresql"'));
    execFileSync(path.join(repoRoot, "node_modules", ".bin", "prisma"), ["generate", "--schema", schemaPath], {
      cwd: repoRoot,
      stdio: "pipe",
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/usr/bin/true", PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    });
  }
  fs.writeFileSync(stampFile, hash);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const did = generateClients(process.argv.includes("--force"));
  console.log(did ? "prisma clients generated" : "prisma clients up to date");
}
