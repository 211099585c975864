/**
 * Prisma CLI configuration. Only `prisma generate` is used (see scripts/db/): the CLI's
 * migrate needs a schema-engine download that this network cannot reach, so migrations
 * are SQL files applied by scripts/db/migrate.ts.
 */
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: process.env.PRISMA_SCHEMA_PATH ?? "prisma/schema.prisma",
});
